"""botocore as a SigV4 oracle for the differential tests (test/helpers/botocore.ts).

A long-lived child process: reads JSON lines on stdin, one request each, and writes one JSON line per
request on stdout, in the same order, with what botocore signs for it. Run with the system interpreter
(/usr/bin/python3) and Debian's python3-botocore (test/servers/install-botocore.sh).

Request line:
  {"id": 1, "signer": "v4" | "s3v4", "method": "GET", "url": "https://host/path?query",
   "headers": [["Name", "value"], ...],          # repeated names allowed, sent in this order
   "body": "<base64>" | null,
   "params": [["key", "value"], ...] | null,    # decoded query pairs given as AWSRequest(params=...)
   "region": "us-east-1", "service": "service",
   "credentials": {"accessKeyId": "...", "secretAccessKey": "...", "sessionToken": "..." | null},
   "date": "20150830T123600Z",                  # the signing time, as an amz-date
   "detail": true}                              # also return the signed headers and prepared URL

Response line:
  {"id": 1, "authorization": "...", "canonicalRequest": "...", "stringToSign": "...",
   "headers": [["Name", "value"], ...], "preparedUrl": "..."}    # the last two only with "detail"
  or {"id": 1, "error": "ExceptionName: message"}

The signers are botocore's own, unmodified: botocore.auth.SigV4Auth ("v4") and S3SigV4Auth ("s3v4")
over botocore.awsrequest.AWSRequest. Two things are pinned around them:
  - the time: add_auth reads datetime.datetime.utcnow() and overwrites any X-Amz-Date header with it,
    so botocore.auth's `datetime` name is pointed at a shim whose utcnow() returns the request's date;
  - the capture: subclasses record the canonical request and string to sign as add_auth builds them.
Lines are read and answered in blocks, so a client that pipes thousands of lines gets thousands of
answers per write.
"""

import base64
import datetime
import json
import os
import sys
import types

import botocore
import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

SIGV4_TIMESTAMP = '%Y%m%dT%H%M%SZ'


class _PinnedDatetime(datetime.datetime):
    """datetime.datetime with utcnow() returning the time of the request being signed."""

    pinned = None

    @classmethod
    def utcnow(cls):
        if cls.pinned is None:
            raise RuntimeError('no signing date pinned')
        return cls.pinned


# botocore.auth does `import datetime` and calls datetime.datetime.utcnow() / .strptime(); nothing else.
botocore.auth.datetime = types.SimpleNamespace(datetime=_PinnedDatetime)


class _Capture:
    def string_to_sign(self, request, canonical_request):
        value = super().string_to_sign(request, canonical_request)
        request.context['oracle_canonical_request'] = canonical_request
        request.context['oracle_string_to_sign'] = value
        return value


class CapturingSigV4Auth(_Capture, botocore.auth.SigV4Auth):
    pass


class CapturingS3SigV4Auth(_Capture, botocore.auth.S3SigV4Auth):
    pass


SIGNERS = {'v4': CapturingSigV4Auth, 's3v4': CapturingS3SigV4Auth}
_date_cache = {}


def _pinned_date(amz_date):
    value = _date_cache.get(amz_date)
    if value is None:
        if len(_date_cache) > 4096:
            _date_cache.clear()
        value = datetime.datetime.strptime(amz_date, SIGV4_TIMESTAMP)
        _date_cache[amz_date] = value
    return value


def sign(message):
    creds = message['credentials']
    credentials = Credentials(creds['accessKeyId'], creds['secretAccessKey'], creds.get('sessionToken'))
    signer = SIGNERS[message.get('signer', 'v4')](credentials, message['service'], message['region'])
    body = message.get('body')
    params = message.get('params')
    request = AWSRequest(
        method=message['method'],
        url=message['url'],
        data=base64.b64decode(body) if body is not None else None,
        params=[tuple(pair) for pair in params] if params is not None else None,
    )
    for name, value in message.get('headers') or []:
        request.headers[name] = value  # HTTPMessage: assignment appends, so repeated names are kept
    _PinnedDatetime.pinned = _pinned_date(message['date'])
    try:
        signer.add_auth(request)
    finally:
        _PinnedDatetime.pinned = None
    result = {
        'id': message['id'],
        'authorization': request.headers['Authorization'],
        'canonicalRequest': request.context['oracle_canonical_request'],
        'stringToSign': request.context['oracle_string_to_sign'],
    }
    if message.get('detail'):
        result['headers'] = [[name, value] for name, value in request.headers.items()]
        result['preparedUrl'] = request.prepare().url
    return result


def answer(line):
    message = None
    try:
        message = json.loads(line)
        return sign(message)
    except Exception as error:  # reported to the client, which fails the case that caused it
        ident = message.get('id') if isinstance(message, dict) else None
        return {'id': ident, 'error': f'{type(error).__name__}: {error}'}


def main():
    if len(sys.argv) > 1 and sys.argv[1] == '--version':
        print(botocore.__version__)
        return
    stdin = sys.stdin.buffer.fileno()
    stdout = sys.stdout.buffer.fileno()
    dumps = json.JSONEncoder(ensure_ascii=True, separators=(',', ':')).encode
    pending = b''
    while True:
        chunk = os.read(stdin, 1 << 20)
        if not chunk:
            break
        pending += chunk
        if b'\n' not in chunk:
            continue
        *lines, pending = pending.split(b'\n')
        answers = [dumps(answer(line)) for line in lines if line.strip()]
        if not answers:
            continue
        data = ('\n'.join(answers) + '\n').encode('ascii')
        while data:
            written = os.write(stdout, data)
            data = data[written:]
    if pending.strip():
        os.write(stdout, (json.dumps(answer(pending)) + '\n').encode('ascii'))


if __name__ == '__main__':
    main()
