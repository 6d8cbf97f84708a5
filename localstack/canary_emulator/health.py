"""GET /_canary/health: lets `localstack/start` tell our emulator from any other listener.

A plain moto server answers 404 there, so a 200 {"status": "ok"} proves the extension is loaded.
"""

import json

HEALTH_PATH = "/_canary/health"
_BODY = json.dumps({"status": "ok"}).encode()


class HealthMiddleware:
    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO") == HEALTH_PATH:
            start_response(
                "200 OK",
                [("Content-Type", "application/json"), ("Content-Length", str(len(_BODY)))],
            )
            return [_BODY]
        return self.app(environ, start_response)
