"""Outputs made from templates: the HTML newsletter, the email's parts, the Markdown
digest and user templates (Jinja2, sandboxed). ``context`` builds what a template sees
(no Jinja2 there); ``engine`` renders, imported only when a template is used.
"""
