"""Auth, error shapes, trace ids, the model list, balances, status faults and the fault queue."""

from __future__ import annotations

import re

import httpx
import pytest

from sfdesk.sandbox import SandboxServer

from .helpers import log_for, wait_until

HELLO = {"model": "Qwen/Qwen2.5-7B-Instruct", "messages": [{"role": "user", "content": "hi"}]}
TRACE = re.compile(r"[0-9a-f]{32}")
JSON_TYPE = "application/json; charset=utf-8"


def _trace(response: httpx.Response) -> str:
    trace = str(response.headers.get("x-siliconcloud-trace-id", ""))
    assert TRACE.fullmatch(trace), trace
    return trace


# -- auth --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "body"),
    [
        ({}, "Invalid token"),
        ({"Authorization": "sk-sandbox"}, "Invalid token"),  # no Bearer scheme
        ({"Authorization": "Bearer"}, "Invalid token"),
        ({"Authorization": "Bearer sk-someone-else"}, "Api key is invalid"),
    ],
)
def test_rejected_credentials_get_the_bare_string_bodies(
    srv: SandboxServer, headers: dict[str, str], body: str
) -> None:
    for method, path in (("GET", "/models"), ("POST", "/chat/completions")):
        response = httpx.request(method, srv.base_url + path, headers=headers, json=HELLO)
        assert response.status_code == 401
        assert response.headers["content-type"] == JSON_TYPE
        assert response.json() == body
        _trace(response)


def test_other_site_key_is_30014_everywhere_including_user_info(srv: SandboxServer) -> None:
    headers = {"Authorization": "Bearer sk-sandbox-othersite"}
    for path in ("/user/info", "/models"):
        response = httpx.get(srv.base_url + path, headers=headers)
        assert response.status_code == 401
        assert response.json() == {"code": 30014, "message": "Token is invalid."}


def test_user_info_reports_string_balances(client: httpx.Client) -> None:
    response = client.get("/user/info")
    assert response.status_code == 200
    body = response.json()
    assert (body["code"], body["message"], body["status"]) == (20000, "OK", True)
    data = body["data"]
    assert (data["balance"], data["chargeBalance"], data["totalBalance"]) == (
        "0.88",
        "88.00",
        "88.88",
    )


def test_empty_balance_key_is_refused_on_paid_endpoints_only(srv: SandboxServer) -> None:
    with httpx.Client(
        base_url=srv.base_url, headers={"Authorization": "Bearer sk-sandbox-empty"}
    ) as http:
        assert http.get("/user/info").json()["data"]["totalBalance"] == "0.00"
        assert http.get("/models").status_code == 200
        paid = [
            http.post("/chat/completions", json=HELLO),
            http.post("/embeddings", json={"model": "BAAI/bge-m3", "input": ["a"]}),
            http.post(
                "/rerank",
                json={"model": "BAAI/bge-reranker-v2-m3", "query": "q", "documents": ["d"]},
            ),
            http.post("/images/generations", json={"model": "Qwen/Qwen-Image", "prompt": "p"}),
            http.post(
                "/audio/transcriptions",
                data={"model": "FunAudioLLM/SenseVoiceSmall"},
                files={"file": ("a.wav", b"RIFF", "audio/wav")},
            ),
        ]
    for response in paid:
        assert response.status_code == 403
        assert response.json() == {
            "code": 30001,
            "message": "Sorry, your account balance is insufficient",
            "data": None,
        }


def test_the_log_records_how_a_request_authenticated_but_never_the_key(
    client: httpx.Client, srv: SandboxServer
) -> None:
    client.get("/models")
    httpx.get(srv.base_url + "/models")
    httpx.get(srv.base_url + "/models", headers={"Authorization": "sk-sandbox"})
    entries = log_for(srv, "/v1/models")
    assert [e["auth"] for e in entries] == ["bearer", "missing", "other"]
    assert "sk-sandbox" not in repr(srv.requests())


# -- shapes common to every response -----------------------------------------------------------


def test_unknown_paths_and_methods_are_the_plain_text_404(client: httpx.Client) -> None:
    for response in (
        client.get("/nope"),
        httpx.get(str(client.base_url).replace("/v1/", "/v2/") + "models"),
        client.get("/chat/completions"),  # wrong method, answered like a wrong path
        client.get("/models/"),  # no slash redirects
    ):
        assert response.status_code == 404
        assert response.text == "404 page not found"
        assert response.headers["content-type"].startswith("text/plain")
        _trace(response)


def test_every_response_has_its_own_trace_id_and_the_log_knows_it(
    client: httpx.Client, srv: SandboxServer
) -> None:
    traces = {_trace(client.get("/models")) for _ in range(3)}
    assert len(traces) == 3
    assert {e["trace_id"] for e in log_for(srv, "/v1/models")} == traces


def test_models_are_filtered_by_type_and_sub_type(client: httpx.Client) -> None:
    def ids(**params: str) -> list[str]:
        body = client.get("/models", params=params).json()
        assert body["object"] == "list"
        for item in body["data"]:
            assert item == {"id": item["id"], "object": "model", "created": 0, "owned_by": ""}
        return [item["id"] for item in body["data"]]

    everything = ids()
    chat = ids(sub_type="chat")
    assert "Qwen/Qwen3-8B" in chat and "BAAI/bge-m3" not in chat
    assert ids(type="audio") == [
        "FunAudioLLM/SenseVoiceSmall",
        "TeleAI/TeleSpeechASR",
        "FunAudioLLM/CosyVoice2-0.5B",
    ]
    assert ids(type="text", sub_type="reranker") == ids(sub_type="reranker")
    assert len(ids(sub_type="reranker")) == 6
    assert ids(type="image", sub_type="image-to-image") == [
        "Qwen/Qwen-Image-Edit",
        "Qwen/Qwen-Image-Edit-2509",
    ]
    assert ids(type="video") == []
    assert set(chat) < set(everything)


# -- status faults -----------------------------------------------------------------------------

PARAM_INVALID = "The parameter is invalid. Please check again."
RATE_LIMITED = "Request was rejected due to rate limiting. Details: TPM limit reached."
BATCH = "input batch size 83 > maximum allowed batch size 64"
OVERLOADED = "Model service overloaded. Please try again later."
FAULT_BODIES = [
    ("400", 400, {"code": 20015, "message": PARAM_INVALID, "data": None}),
    ("403", 403, "Forbidden"),
    ("413", 413, {"code": 20042, "message": BATCH, "data": None}),
    ("429", 429, {"message": RATE_LIMITED, "data": None}),
    ("451", 451, {"code": 20021, "message": "Content is not allowed.", "data": None}),
    (
        "500",
        500,
        {"code": 50507, "message": "Unknown error, please try again later.", "data": None},
    ),
    ("503", 503, {"code": 50505, "message": OVERLOADED, "data": None}),
    ("504", 504, "Gateway Timeout"),
]


@pytest.mark.parametrize(("fault", "status", "body"), FAULT_BODIES)
def test_status_faults_send_the_real_json_bodies(
    client: httpx.Client, srv: SandboxServer, fault: str, status: int, body: object
) -> None:
    response = client.post("/chat/completions", json=HELLO, headers={"X-Sandbox-Fault": fault})
    assert response.status_code == status
    assert response.headers["content-type"] == JSON_TYPE
    assert response.json() == body
    _trace(response)
    assert "retry-after" not in response.headers
    entry = log_for(srv, "/v1/chat/completions")[-1]
    assert (entry["status"], entry["fault"], entry["body"]) == (status, fault, HELLO)


@pytest.mark.parametrize(("fault", "body"), [("404", "404 page not found"), ("502", "Bad Gateway")])
def test_plain_text_status_faults(client: httpx.Client, fault: str, body: str) -> None:
    response = client.get("/models", headers={"X-Sandbox-Fault": fault})
    assert (response.status_code, response.text) == (int(fault), body)
    assert response.headers["content-type"].startswith("text/plain")


def test_429_can_carry_retry_after_headers(client: httpx.Client) -> None:
    seconds = client.get("/models", headers={"X-Sandbox-Fault": "429:retry-after=1"})
    assert (seconds.status_code, seconds.headers["retry-after"]) == (429, "1")
    millis = client.get("/models", headers={"X-Sandbox-Fault": "429:retry-after-ms=200"})
    assert (millis.status_code, millis.headers["retry-after-ms"]) == (429, "200")
    assert "retry-after" not in millis.headers


@pytest.mark.parametrize(
    "fault", ["418", "nonsense", "429:retry-after=soon", "500:retry-after=1", "stall:x@1"]
)
def test_a_malformed_fault_header_is_a_400_that_says_so(client: httpx.Client, fault: str) -> None:
    response = client.get("/models", headers={"X-Sandbox-Fault": fault})
    assert response.status_code == 400
    assert response.json()["code"] == 20015
    assert "x-sandbox-fault" in response.json()["message"]


def test_queued_faults_are_fifo_per_path_and_counted(
    client: httpx.Client, srv: SandboxServer
) -> None:
    srv.queue_fault("/v1/models", "503", count=2)
    srv.queue_fault("/v1/models", "429")
    srv.queue_fault("/v1/user/info", "500")
    statuses = [client.get("/models").status_code for _ in range(5)]
    assert statuses == [503, 503, 429, 200, 200]
    assert client.get("/user/info").status_code == 500
    assert client.get("/user/info").status_code == 200
    assert [e["fault"] for e in log_for(srv, "/v1/models")] == ["503", "503", "429", None, None]


def test_a_star_fault_matches_any_v1_path_after_the_paths_own(
    client: httpx.Client, srv: SandboxServer
) -> None:
    srv.queue_fault("*", "504", count=2)
    srv.queue_fault("/v1/models", "400")
    assert client.get("/models").status_code == 400  # its own queue first
    assert client.get("/user/info").status_code == 504
    assert client.get("/models").status_code == 504
    assert client.get("/models").status_code == 200


def test_a_header_fault_leaves_the_queue_alone(client: httpx.Client, srv: SandboxServer) -> None:
    srv.queue_fault("/v1/models", "503")
    assert client.get("/models", headers={"X-Sandbox-Fault": "500"}).status_code == 500
    assert client.get("/models").status_code == 503


def test_control_endpoints_queue_clear_configure_and_reset(
    client: httpx.Client, srv: SandboxServer
) -> None:
    root = srv.root_url
    queued = httpx.post(
        root + "/sandbox/faults",
        json={"path": "/v1/models", "fault": "429:retry-after=1", "count": 2},
    )
    assert queued.json()["pending"] == [
        {"path": "/v1/models", "fault": "429:retry-after=1", "count": 2}
    ]
    assert client.get("/models").status_code == 429
    assert httpx.delete(root + "/sandbox/faults").json() == {"pending": []}
    assert client.get("/models").status_code == 200

    bad = httpx.post(root + "/sandbox/faults", json={"path": "/v1/models", "fault": "999"})
    assert bad.status_code == 400 and "999" in bad.json()["error"]

    config = httpx.post(root + "/sandbox/config", json={"tokens_per_second": 50})
    assert config.json() == {"tokens_per_second": 50.0, "image_ttl_seconds": 3600.0}
    assert srv.state.config.tokens_per_second == 50.0
    assert httpx.post(root + "/sandbox/config", json={"speed": 1}).status_code == 400
    assert httpx.post(root + "/sandbox/config", json={"image_ttl_seconds": -1}).status_code == 400

    log = httpx.get(root + "/sandbox/requests").json()
    assert [e["path"] for e in log] == ["/v1/models", "/v1/models"]  # control calls not logged
    assert httpx.post(root + "/sandbox/reset").json() == {"ok": True}
    assert srv.requests() == []
    assert srv.state.config.tokens_per_second == 0.0


def test_the_log_keeps_the_last_500_requests(client: httpx.Client, srv: SandboxServer) -> None:
    for _ in range(505):
        client.get("/nope")
    # The server closes an entry just after the response leaves, so the client can get here first.
    log = wait_until(lambda: (entries := srv.requests())[-1]["finished"] and entries)
    assert len(log) == 500
    assert log[-1]["finished"] >= log[-1]["started"] >= log[0]["started"]
