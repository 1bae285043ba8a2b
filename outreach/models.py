# Outreach sessions, volunteers and partnership activities arrive with the outreach issue.
