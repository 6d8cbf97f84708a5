"""canary_emulator: moto server plus what canary-deploy needs and moto 5.2.5 lacks.

moto emulates ELBv2 and CloudWatch well enough for the product's integration tests, but the AWS
SDK for Rust talks to CloudWatch over Smithy RPC v2 CBOR, which moto does not route, and moto's
statistics ignore Values/Counts and fail on percentiles. This package wraps moto's WSGI app with
small middlewares and patches moto's models; see README.md one level up.
"""
