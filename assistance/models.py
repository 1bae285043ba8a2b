# Funds, budgets, disbursement requests and approvals, in-kind items and housing
# placements arrive with the assistance issue.
