"""The demo council: an invented city and three years of its work, for trying tsunagu.

Beside the product, like tsunagu/bench/: product apps import nothing from here. One module
per app's data (directory.py, records.py with records_data.py, plans.py with
plans_data.py, grants.py, volunteers.py, cases.py), years.py placing the story's years,
and the `demo` command (management/commands/demo.py), which holds the order they load in."""
