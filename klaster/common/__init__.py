"""Django helpers that every domain app may use: countries, wording, form fields, template tags,
links, redirects, the API's shared schemas and the role checks. Below every domain app: it imports
none of them (see `klaster.common.appgraph`)."""
