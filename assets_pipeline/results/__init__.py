"""The plan's loop (mục V.1): the results return forms the units send back, read and checked
(returns.py, collect.py), and what the department makes of them (tables.py): the numeric form with
district subtotals and the province's total, and the list of units to chase, for the province and for
each district.
"""
