"""ListVersionsByFunction given the function's ARN.

moto 5.2.5 looks the function up by name only, so a request naming it by ARN (as AWS allows:
"the name or ARN of the Lambda function",
https://docs.aws.amazon.com/lambda/latest/api/API_ListVersionsByFunction.html) lists no
versions at all (the ARN reaches it still percent-encoded from the path). The patch decodes it
and reads the name out of a full or partial ARN first; a name is passed through unchanged.
"""

from urllib.parse import unquote

from moto.awslambda import models


def apply() -> None:
    list_versions = models.LambdaStorage.list_versions_by_function

    def list_versions_by_function(self, name: str):
        name = unquote(name)
        if ":" in name:
            _, name, _ = self.split_function_arn(name)
        return list_versions(self, name)

    models.LambdaStorage.list_versions_by_function = list_versions_by_function
