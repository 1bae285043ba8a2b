"""See the modules: one per part of the case plan (journey and templates, goals, budget)."""
