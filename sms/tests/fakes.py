"""A local fake of the Tencent Cloud and Aliyun SMS HTTP APIs, for the real SDKs to call.

One ``http.server`` in a thread on 127.0.0.1. ``mode`` decides every answer:
"ok", "error" (a vendor error code), "slow" (answers after ``delay`` seconds),
"hang" (never answers before the client gives up) or "take_then_hang" (takes the message —
it is delivered — but the answer never comes, as when the network or the worker dies
between the two). Every message it takes is logged in ``received`` as (vendor, numbers,
params) and its client-side id (Tencent's SessionContext, Aliyun's OutId) in ``out_ids``.
Aliyun's QuerySendDetails answers from what was taken, as the vendor's send records do.
"""

import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs


class FakeSmsServer:
    def __init__(self, mode="ok", delay=0.0):
        self.mode = mode
        self.delay = delay
        self.received = []
        self.out_ids = []
        self.requests = 0
        self._lock = threading.Lock()
        self._release = threading.Event()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def endpoint(self) -> str:
        return f"127.0.0.1:{self.server.server_address[1]}"

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self._release.set()
        self.server.shutdown()
        self.server.server_close()

    def sent_numbers(self) -> list[str]:
        with self._lock:
            return [n for _vendor, numbers, _params in self.received for n in numbers]

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                if self.headers.get("x-acs-action") == "QuerySendDetails" or "QuerySendDetails" in self.path:
                    self._aliyun(raw, "ok")  # a lookup, not a send: answered whatever the mode
                    return
                with fake._lock:
                    fake.requests += 1
                    mode, delay = fake.mode, fake.delay
                if mode == "hang":
                    fake._release.wait(30)
                    return
                if mode == "take_then_hang":
                    if self.headers.get("X-TC-Action"):
                        self._tencent(raw, "ok", answer=False)
                    else:
                        self._aliyun(raw, "ok", answer=False)
                    fake._release.wait(30)
                    return
                if mode == "slow":
                    time.sleep(delay)
                if self.headers.get("X-TC-Action"):
                    self._tencent(raw, mode)
                else:
                    self._aliyun(raw, mode)

            def _answer(self, body, status=200):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                try:
                    self.wfile.write(data)
                except OSError:
                    pass

            def _tencent(self, raw, mode, answer=True):
                req = json.loads(raw or b"{}")
                rid = uuid.uuid4().hex
                if mode == "error":
                    self._answer({"Response": {"Error": {"Code": "LimitExceeded.PhoneNumberDailyLimit",
                                                         "Message": "fake: daily limit"}, "RequestId": rid}})
                    return
                numbers = req.get("PhoneNumberSet", [])
                with fake._lock:
                    fake.received.append(("tencent", numbers, req.get("TemplateParamSet", [])))
                    fake.out_ids.append(req.get("SessionContext", ""))
                if not answer:
                    return
                self._answer({"Response": {"RequestId": rid, "SendStatusSet": [
                    {"SerialNo": uuid.uuid4().hex, "PhoneNumber": n, "Fee": 1, "SessionContext": "",
                     "Code": "Ok", "Message": "send success", "IsoCode": "CN"} for n in numbers]}})

            def _aliyun(self, raw, mode, answer=True):
                form = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
                query = {k: v[0] for k, v in parse_qs(self.path.partition("?")[2]).items()}
                form.update(query)
                rid = uuid.uuid4().hex
                if "QuerySendDetails" in (self.headers.get("x-acs-action"), form.get("Action")):
                    with fake._lock:
                        taken = [(numbers, out_id) for (vendor, numbers, _p), out_id in zip(fake.received, fake.out_ids,
                                                                                           strict=True)
                                 if vendor == "aliyun" and form.get("PhoneNumber") in numbers]
                    dtos = [{"PhoneNum": form.get("PhoneNumber"), "OutId": out_id, "SendStatus": 1,
                             "SendDate": "2026-01-01 00:00:00", "TemplateCode": "x", "Content": "", "ErrCode": "",
                             "ReceiveDate": ""} for _numbers, out_id in taken]
                    self._answer({"Code": "OK", "Message": "OK", "RequestId": rid, "TotalCount": len(dtos),
                                  "SmsSendDetailDTOs": {"SmsSendDetailDTO": dtos}})
                    return
                if mode == "error":
                    self._answer({"Code": "isv.BUSINESS_LIMIT_CONTROL", "Message": "fake: limit", "RequestId": rid})
                    return
                numbers = [n for n in form.get("PhoneNumbers", "").split(",") if n]
                with fake._lock:
                    fake.received.append(("aliyun", numbers, json.loads(form.get("TemplateParam") or "{}")))
                    fake.out_ids.append(form.get("OutId", ""))
                if not answer:
                    return
                self._answer({"Code": "OK", "Message": "OK", "BizId": uuid.uuid4().hex, "RequestId": rid})

        return Handler
