# Phase templates (Strengthen, Heal, Revitalize by default), a case's phase journey,
# goals in the survivor's own words and reviews arrive with the case-plan issue.
