// Starts Swagger UI on /api/docs with the settings the page carries as JSON (see
// templates/api/docs.html): a file of the site's own, as the Content-Security-Policy requires.
const settings = JSON.parse(document.getElementById("swagger-settings").textContent);
settings.dom_id = "#swagger-ui";
settings.presets = [SwaggerUIBundle.presets.apis];
const csrfToken = document.body.dataset.csrfToken;
if (csrfToken) {
  // Signed-in sessions call the API with the CSRF token, as the site's own pages do.
  settings.requestInterceptor = (request) => {
    request.headers["X-CSRFToken"] = csrfToken;
    return request;
  };
}
SwaggerUIBundle(settings);
