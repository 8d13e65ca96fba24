"""Log filters: what the operator reads in the server console.

A refused or missing page (403, 404) is a normal answer, not a fault: one line, no
traceback. A request for a host name not in the list names the setting the operator
actually edits (TSUNAGU_ALLOWED_HOSTS, not Django's ALLOWED_HOSTS)."""

import logging
import re


class ClientErrorsOnOneLine(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if 400 <= getattr(record, "status_code", 500) < 500:
            record.exc_info = None
            record.exc_text = None
        return True


REFUSED_HOST = "許可されていないホスト名"


class NameTheAllowedHostsSetting(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if message.startswith(REFUSED_HOST):
            return True  # rewritten already (the filter sits on a logger and a handler)
        host = re.search(r"HTTP_HOST header: '([^']*)'", message)
        name = host.group(1) if host else "?"
        record.msg = (
            f"{REFUSED_HOST}「{name}」への要求を断りました（400）。"
            f"正しい名前なら、環境変数 TSUNAGU_ALLOWED_HOSTS に加えてください"
            f"（カンマ区切り）。 (Host {name!r} refused: add it to TSUNAGU_ALLOWED_HOSTS.)"
        )
        record.args = ()
        record.exc_info = None
        record.exc_text = None
        return True
