from django.forms.renderers import TemplatesSetting


class BloomFormRenderer(TemplatesSetting):
    """Render every form field with the project's own markup (label, help, errors, input)."""

    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"
