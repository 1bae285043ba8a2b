# This app will hold funds and budgets, assistance requests and their approvals, in-kind
# items and housing placements. It has no models yet.
