"""Every change in the volunteer centre, each in one transaction with its audit entry:
`registrations` (volunteers and their insurance), `offers` (donation offers),
`help_requests` (groups' requests), `matches` (a volunteer helping with a request);
`common` holds what they share."""
