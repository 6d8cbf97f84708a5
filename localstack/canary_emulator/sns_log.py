"""What SNS published: moto keeps each topic's sent notifications; this reads them out, for the
tests of canary-deploy's notifications.

    GET /_canary/sns/published   {"published": [{"topic", "message_id", "subject", "message"}]}
"""

import json

PUBLISHED_PATH = "/_canary/sns/published"


def published() -> list[dict]:
    from moto.sns.models import sns_backends

    out = []
    for _account, regions in list(sns_backends.items()):
        for _region, backend in list(regions.items()):
            for arn, topic in list(backend.topics.items()):
                for message_id, message, subject, _attributes, _group in topic.sent_notifications:
                    out.append({"topic": arn, "message_id": message_id, "subject": subject,
                                "message": message})
    return out


class SnsLogMiddleware:
    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO") == PUBLISHED_PATH:
            body = json.dumps({"published": published()}).encode()
            start_response("200 OK", [("Content-Type", "application/json"),
                                      ("Content-Length", str(len(body)))])
            return [body]
        return self.app(environ, start_response)
