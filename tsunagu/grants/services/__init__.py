"""Writes of the grants app: `lifecycle` (a grant's five steps, application to
settlement), `programme` (a year's cap and funding sources), `fundraising` (the yearly
totals and the lists of drives and methods); `checks` holds what they all check."""
