app_name = "phases"
urlpatterns = [
    # Phase templates (program configuration)
    # Case plan and phase journey
    # Goals
    # Budget
]
