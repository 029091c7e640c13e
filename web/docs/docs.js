// Starts Swagger UI on this server's document. A separate file, not an inline script, so the
// page's Content-Security-Policy can forbid inline scripts.
(function () {
  'use strict';

  // After a successful "Try it out" of POST /auth/sign-in (or refresh), the access token is
  // put into Authorize at once, so the customer routes can be tried next without copying it.
  function authorizeFromTokenResponse(response) {
    try {
      var path = new URL(response.url, window.location.href).pathname;
      if (response.status !== 200 || (path !== '/auth/sign-in' && path !== '/auth/refresh-tokens')) return response;
      var body = typeof response.body === 'object' && response.body ? response.body : JSON.parse(response.text);
      var token = body && body.data && body.data.auth && body.data.auth.accessToken;
      if (token && window.ui) window.ui.preauthorizeApiKey('bearerAuth', token);
    } catch (ignored) {
      // Not a token response: nothing to do.
    }
    return response;
  }

  window.addEventListener('load', function () {
    window.ui = window.SwaggerUIBundle({
      url: '/openapi.json',
      dom_id: '#swagger-ui',
      deepLinking: true,
      presets: [window.SwaggerUIBundle.presets.apis],
      layout: 'BaseLayout',
      // The public validator would be a request to another origin; the CSP forbids it anyway.
      validatorUrl: null,
      displayRequestDuration: true,
      defaultModelsExpandDepth: 0,
      docExpansion: 'list',
      filter: false,
      // Tokens stay in this tab's memory only.
      persistAuthorization: false,
      responseInterceptor: authorizeFromTokenResponse,
    });
  });
})();
