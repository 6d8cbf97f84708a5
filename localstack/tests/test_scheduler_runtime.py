"""Rate schedules fire function targets through runtime.py: a local executable served the Lambda
Runtime API, kept warm, timed out and restarted as Lambda does; a delivery that fails goes to
the target's dead-letter queue. The function here is a small Python bootstrap that speaks the
Runtime API by hand, so these tests see the protocol, not canary-deploy."""

import json
import sys
import time
import urllib.request

BOOTSTRAP = r'''
import json, os, sys, time, urllib.request
api = "http://" + os.environ["AWS_LAMBDA_RUNTIME_API"] + "/2018-06-01/runtime/invocation/"
pid = os.getpid()
while True:
    with urllib.request.urlopen(api + "next") as r:
        rid = r.headers["Lambda-Runtime-Aws-Request-Id"]
        arn = r.headers["Lambda-Runtime-Invoked-Function-Arn"]
        event = json.loads(r.read())
    print(json.dumps({"log": "tick", "pid": pid}), flush=True)
    if event.get("sleep"):
        time.sleep(event["sleep"])
    if event.get("exit"):
        sys.exit(3)
    kind = "error" if event.get("fail") else "response"
    body = json.dumps({"pid": pid, "arn": arn, "event": event,
                       "memory": os.environ["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"]}).encode()
    urllib.request.urlopen(urllib.request.Request(api + rid + "/" + kind, data=body,
                                                  method="POST"))
'''


def control(endpoint, method, path, doc=None):
    data = json.dumps(doc).encode() if doc is not None else None
    request = urllib.request.Request(f"{endpoint}/_canary/{path}", data=data, method=method,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as r:
        return json.load(r)


def register(endpoint, tmp_path, function, timeout=30):
    script = tmp_path / "bootstrap.py"
    script.write_text(BOOTSTRAP)
    control(endpoint, "POST", "lambda/runtimes", {
        "function": function, "command": [sys.executable, str(script)], "timeout": timeout,
        "memory": 256})


def invocations(endpoint, function):
    return [i for i in control(endpoint, "GET", "lambda/invocations")["invocations"]
            if i["function"] == function]


def rate_schedule(boto, name, function, payload, dead_letter=None):
    target = {"Arn": f"arn:aws:lambda:us-east-1:123456789012:function:{function}",
              "RoleArn": "arn:aws:iam::123456789012:role/scheduler",
              "Input": json.dumps(payload)}
    if dead_letter:
        target["DeadLetterConfig"] = {"Arn": dead_letter}
    boto("scheduler").create_schedule(
        Name=name, ScheduleExpression="rate(1 minute)", FlexibleTimeWindow={"Mode": "OFF"},
        Target=target)


def wait(what, predicate, limit=20.0):
    start = time.monotonic()
    while time.monotonic() - start < limit:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"{what}: not within {limit} s")


def test_a_rate_schedule_invokes_a_warm_function_every_minute(endpoint, boto, tmp_path):
    control(endpoint, "POST", "scheduler/minute", {"seconds": 1})
    register(endpoint, tmp_path, "warm-fn")
    rate_schedule(boto, "warm", "warm-fn", {"hello": "world"})
    done = wait("three ticks", lambda: [i for i in invocations(endpoint, "warm-fn")
                                        if i["ok"]][2:])
    first = invocations(endpoint, "warm-fn")[0]
    assert first["response"]["event"] == {"hello": "world"}
    assert first["response"]["arn"].endswith(":function:warm-fn")
    assert first["response"]["memory"] == "256"
    assert json.loads(first["logs"][0]) == {"log": "tick", "pid": first["response"]["pid"]}
    assert {i["response"]["pid"] for i in done} == {first["response"]["pid"]}, "kept warm"
    boto("scheduler").delete_schedule(Name="warm")
    count = len(invocations(endpoint, "warm-fn"))
    time.sleep(2.5)
    assert len(invocations(endpoint, "warm-fn")) == count, "a deleted schedule stops"


def test_errors_timeouts_and_exits_are_recorded_and_the_environment_restarts(
        endpoint, boto, tmp_path):
    control(endpoint, "POST", "scheduler/minute", {"seconds": 1})
    register(endpoint, tmp_path, "odd-fn", timeout=1)
    rate_schedule(boto, "failing", "odd-fn", {"fail": True})
    failed = wait("an error", lambda: invocations(endpoint, "odd-fn"))[0]
    wait("the error answered", lambda: invocations(endpoint, "odd-fn")[0]["ok"] is not None)
    failed = invocations(endpoint, "odd-fn")[0]
    assert failed["ok"] is False and failed["error"]["event"] == {"fail": True}
    boto("scheduler").delete_schedule(Name="failing")
    rate_schedule(boto, "slow", "odd-fn", {"sleep": 5})
    slow = wait("a timeout", lambda: [i for i in invocations(endpoint, "odd-fn")
                                      if i["error"] and "timed out" in str(i["error"])])
    assert slow[0]["error"]["errorType"] == "Sandbox.Timedout"
    boto("scheduler").delete_schedule(Name="slow")
    rate_schedule(boto, "exits", "odd-fn", {"exit": True})
    exited = wait("an exit", lambda: [i for i in invocations(endpoint, "odd-fn")
                                      if i["error"] and "exited" in str(i["error"])])
    assert exited[0]["error"]["errorType"] == "Runtime.ExitError"
    boto("scheduler").delete_schedule(Name="exits")
    rate_schedule(boto, "again", "odd-fn", {"back": True})
    wait("a fresh environment answers", lambda: [i for i in invocations(endpoint, "odd-fn")
                                                 if i["ok"]])
    boto("scheduler").delete_schedule(Name="again")


def test_an_undeliverable_tick_goes_to_the_dead_letter_queue(endpoint, boto):
    control(endpoint, "POST", "scheduler/minute", {"seconds": 1})
    sqs = boto("sqs")
    url = sqs.create_queue(QueueName="ticks-dlq")["QueueUrl"]
    rate_schedule(boto, "nowhere", "no-such-fn", {"tick": 1},
                  dead_letter="arn:aws:sqs:us-east-1:123456789012:ticks-dlq")
    messages = wait("a dead letter", lambda: sqs.receive_message(
        QueueUrl=url, MessageAttributeNames=["All"]).get("Messages"))
    boto("scheduler").delete_schedule(Name="nowhere")
    assert json.loads(messages[0]["Body"]) == {"tick": 1}
    error = messages[0]["MessageAttributes"]["ERROR_MESSAGE"]["StringValue"]
    assert "no-such-fn has no local runtime" in error
    fired = control(endpoint, "GET", "scheduler/fired")["fired"]
    assert any(f["arn"].endswith("/nowhere") and not f["ok"] for f in fired)
