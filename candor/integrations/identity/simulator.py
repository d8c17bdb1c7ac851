"""A local stand-in for Tencent Cloud FaceID, speaking its protocol: the demo and the adapter's
contract tests talk to it; it is never the real authority.

It verifies the TC3-HMAC-SHA256 signature as the service does (``AuthFailure.*`` errors, HTTP
200, in the ``Response.Error`` shape), then answers two actions.

The rule for a match is deterministic, and nothing in it pretends to know real people:
1. ``IdCard`` must pass GB 11643 (format, province, birth date, check digit), else "-2";
   ``Name`` must be 2–30 letters (Chinese, or Latin with spaces and "·"), else "-3".
2. A number in ``REGISTER`` below matches its listed name only ("0", else "-1"); a number in
   ``NO_RECORD`` answers "-5".
3. Any other valid number matches the name it was FIRST checked with and mismatches any other
   name. The pairs are kept as SHA-256 digests (no clear text) in a small JSON file,
   ``settings.CANDOR_IDENTITY_SIM_STATE`` (under var/), locked while read and written, so every
   server process and every restart gives the same answer; ``reset()`` forgets them.
Face (``ImageRecognitionV2``): the image must be base64 of a JPEG or PNG (magic bytes), else
``FailedOperation.ImageDecodeFailed``; name and number must match under the rule above, else
``FailedOperation.IdNameMisMatch``; the similarity is 89.88 (the document's example) unless the
image bytes carry the test marker ``CANDOR-SIM=<nn>``; below 70 the answer is
``FailedOperation.CompareLowSimilarity`` with that ``Sim``. The image is looked at in memory
and dropped with the request.
"""

from __future__ import annotations

import base64
import binascii
import fcntl
import hashlib
import hmac
import json
import re
import time
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from candor.identity import idnumbers
from candor.integrations.identity import tc3
from candor.integrations.identity.client import SERVICE, VERSION

MAX_SKEW = 300  # seconds, as the service allows
REGISTER = {
    "11010519491231002X": "张三",
    "440524198001010013": "李四",
    "110101201801010013": "王小明",  # a child, for the minors flows
}
NO_RECORD = frozenset({"110105199003071239"})
_NAME = re.compile(r"^(?:[\u3400-\u9fff·]{2,30}|[A-Za-z][A-Za-z ·'-]{1,29})$")
_MARKER = re.compile(rb"CANDOR-SIM=(\d{1,3}(?:\.\d{1,2})?)")


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _first_name_digest(id_card: str, name: str) -> str:
    """The digest of the name this number was first checked with (recording ``name`` if new)."""
    path = Path(settings.CANDOR_IDENTITY_SIM_STATE)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a+", encoding="utf-8") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        handle.seek(0)
        try:
            known = json.loads(handle.read() or "{}")
        except ValueError:
            known = {}
        first = known.setdefault(_digest(id_card), _digest(name))
        handle.seek(0)
        handle.truncate()
        handle.write(json.dumps(known))
    return str(first)


def reset() -> None:
    Path(settings.CANDOR_IDENTITY_SIM_STATE).unlink(missing_ok=True)


def _answer(body: dict[str, Any]) -> JsonResponse:
    body["RequestId"] = str(uuid.uuid4())
    return JsonResponse({"Response": body}, json_dumps_params={"ensure_ascii": False})


def _error(code: str, message: str) -> JsonResponse:
    return _answer({"Error": {"Code": code, "Message": message}})


def _auth_error(request: HttpRequest) -> JsonResponse | None:
    auth = tc3.parse_authorization(request.headers.get("Authorization", ""))
    if auth is None:
        return _error("AuthFailure.InvalidAuthorization", "Authorization header is not TC3-HMAC-SHA256")
    if auth.secret_id != settings.CANDOR_IDENTITY_SECRET_ID:
        return _error("AuthFailure.SecretIdNotFound", "unknown SecretId")
    try:
        timestamp = int(request.headers.get("X-TC-Timestamp", ""))
    except ValueError:
        return _error("MissingParameter", "X-TC-Timestamp")
    if abs(time.time() - timestamp) > MAX_SKEW:
        return _error("AuthFailure.SignatureExpire", "timestamp too far from server time")
    signed = auth.signed_headers
    if "content-type" not in signed or "host" not in signed or signed != sorted(signed):
        return _error("AuthFailure.SignatureFailure", "content-type and host must be signed, sorted")
    if auth.date != tc3.utc_date(timestamp) or auth.service != SERVICE:
        return _error("AuthFailure.SignatureFailure", "credential scope does not match")
    headers = {name: request.headers.get(name, "") for name in signed}
    canonical = tc3.canonical_request(request.method or "POST", headers, signed, request.body)
    expected = tc3.signature(
        settings.CANDOR_IDENTITY_SECRET_KEY,
        timestamp,
        SERVICE,
        tc3.string_to_sign(timestamp, SERVICE, canonical),
    )
    if not hmac.compare_digest(expected, auth.signature):
        return _error("AuthFailure.SignatureFailure", "signature does not match")
    return None


def id_card_result(id_card: str, name: str) -> tuple[str, str]:
    """(Result, Description) of the simulator's rule for a name and number."""
    if not idnumbers.is_valid(id_card):
        return "-2", "非法身份证号(长度、校验位等不正确)"
    if not _NAME.match(name or ""):
        return "-3", "非法姓名(长度、格式等不正确)"
    if id_card in NO_RECORD:
        return "-5", "证件库中无此身份证记录"
    if id_card in REGISTER:
        matched = REGISTER[id_card] == name
    else:
        matched = _first_name_digest(id_card, name) == _digest(name)
    if matched:
        return "0", "姓名和身份证号一致"
    return "-1", "姓名和身份证号不一致"


def _face(params: dict[str, Any]) -> JsonResponse:
    try:
        image = base64.b64decode(str(params.get("ImageBase64", "")), validate=True)
    except (binascii.Error, ValueError):
        image = b""
    if not (image.startswith(b"\xff\xd8\xff") or image.startswith(b"\x89PNG\r\n\x1a\n")):
        return _answer(
            {"Result": "FailedOperation.ImageDecodeFailed", "Description": "图片解码失败", "Sim": 0}
        )
    result, _ = id_card_result(str(params.get("IdCard", "")), str(params.get("Name", "")))
    if result != "0":
        return _answer(
            {"Result": "FailedOperation.IdNameMisMatch", "Description": "姓名和身份证号不一致", "Sim": 0}
        )
    marker = _MARKER.search(image)
    sim = min(float(marker.group(1)), 100.0) if marker else 89.88
    if sim < 70:
        return _answer(
            {
                "Result": "FailedOperation.CompareLowSimilarity",
                "Description": "比对相似度未达到通过标准",
                "Sim": sim,
            }
        )
    return _answer({"Result": "Success", "Description": "成功", "Sim": sim})


@csrf_exempt
@require_POST
def api(request: HttpRequest) -> JsonResponse:
    refused = _auth_error(request)
    if refused is not None:
        return refused
    if request.headers.get("X-TC-Version") != VERSION:
        return _error("InvalidParameterValue", "X-TC-Version")
    try:
        params = json.loads(request.body or b"{}")
    except ValueError:
        return _error("InvalidParameter", "body is not JSON")
    if not isinstance(params, dict):
        return _error("InvalidParameter", "body is not a JSON object")
    action = request.headers.get("X-TC-Action", "")
    for required in ("IdCard", "Name"):
        if not isinstance(params.get(required), str):
            return _error("MissingParameter", required)
    if action == "IdCardVerification":
        result, description = id_card_result(params["IdCard"], params["Name"])
        return _answer({"Result": result, "Description": description})
    if action == "ImageRecognitionV2":
        return _face(params)
    return _error("InvalidAction", f"unknown action {action!r}")
