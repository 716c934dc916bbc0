"""A minimal OpenID Connect provider on loopback, for signing in to the dashboard in a real browser.

Built on Authlib's server side (the authorization-code grant with its OpenID Connect and PKCE
extensions), served by the standard library's WSGI server on a thread of the test process, so nothing
outlives the test. What a provider such as Keycloak offers `st.login`, and nothing more:

    /.well-known/openid-configuration   discovery: endpoints, RS256, PKCE S256
    /authorize                          GET: a sign-in form (an e-mail field); POST: the code, back
                                        to the client's redirect URI
    /token                              the code (with the client's secret and PKCE verifier) for an
                                        access token and an ID token signed with the provider's key
    /jwks                               the public key
    /logout                             end of session: back to post_logout_redirect_uri

Users are given as {e-mail: extra claims} (e.g. `groups`); their ID token carries `email`,
`email_verified: true`, `name` and those claims. `signed_in` and `signed_out` list what happened.

    with OidcProvider({"a@example.vn": {}}, client_id="cchc", client_secret="s",
                      redirect_uri="http://127.0.0.1:8501/oauth2callback") as provider:
        provider.metadata_url   # -> server_metadata_url in .streamlit/secrets.toml
"""

from __future__ import annotations

import html
import json
import secrets
import threading
import time
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from socketserver import ThreadingMixIn
from typing import Any
from urllib.parse import parse_qsl, urlsplit
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from authlib.oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import AuthorizationCodeMixin, ClientMixin, OAuth2Payload, OAuth2Request
from authlib.oauth2.rfc6749.grants import AuthorizationCodeGrant
from authlib.oauth2.rfc6750 import BearerTokenGenerator
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core import UserInfo
from authlib.oidc.core.grants import OpenIDCode
from joserfc.jwk import RSAKey


# ------------------------------------------------------------------------------------------------
# Requests: Authlib's generic request over a WSGI environ
# ------------------------------------------------------------------------------------------------
class _Headers(dict):
    """HTTP headers with case-blind lookups (Authlib asks for "Authorization")."""

    def get(self, key: str, default: Any = None) -> Any:
        return super().get(key.lower(), default)

    def __getitem__(self, key: str) -> Any:
        return super().__getitem__(key.lower())

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and super().__contains__(key.lower())


class _Payload(OAuth2Payload):
    def __init__(self, pairs: list[tuple[str, str]]):
        self._datalist: defaultdict[str, list] = defaultdict(list)
        for key, value in pairs:
            self._datalist[key].append(value)
        self._data = {key: values[0] for key, values in self._datalist.items()}

    @property
    def data(self) -> dict[str, str]:
        return self._data

    @property
    def datalist(self) -> defaultdict[str, list]:
        return self._datalist


class _Request(OAuth2Request):
    def __init__(self, method: str, uri: str, headers: _Headers, query: list, form: list):
        super().__init__(method, uri, headers=headers)
        self._args, self._form = dict(query), dict(form)
        self.payload = _Payload(query + form)

    @property
    def args(self) -> dict[str, str]:
        return self._args

    @property
    def form(self) -> dict[str, str]:
        return self._form


def _request(environ: Mapping[str, Any]) -> _Request:
    headers = _Headers({k[5:].replace("_", "-").lower(): v for k, v in environ.items() if k.startswith("HTTP_")})
    if environ.get("CONTENT_TYPE"):
        headers["content-type"] = environ["CONTENT_TYPE"]
    query = parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True)
    form: list[tuple[str, str]] = []
    if environ["REQUEST_METHOD"] == "POST":
        length = int(environ.get("CONTENT_LENGTH") or 0)
        form = parse_qsl(environ["wsgi.input"].read(length).decode("utf-8"), keep_blank_values=True)
    uri = f"http://{environ['HTTP_HOST']}{environ['PATH_INFO']}"
    if environ.get("QUERY_STRING"):
        uri += "?" + environ["QUERY_STRING"]
    return _Request(environ["REQUEST_METHOD"], uri, headers, query, form)


# ------------------------------------------------------------------------------------------------
# Models: one client, users by e-mail, codes in memory
# ------------------------------------------------------------------------------------------------
@dataclass
class _Client(ClientMixin):
    client_id: str
    client_secret: str
    redirect_uri: str

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_allowed_scope(self, scope: str) -> str:
        return " ".join(s for s in (scope or "").split() if s in ("openid", "email", "profile"))

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return redirect_uri == self.redirect_uri

    def check_client_secret(self, client_secret: str) -> bool:
        return secrets.compare_digest(client_secret, self.client_secret)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method in ("client_secret_basic", "client_secret_post")

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == "authorization_code"


@dataclass
class _User:
    email: str
    claims: dict[str, Any]

    def get_user_id(self) -> str:
        return self.email


@dataclass
class _Code(AuthorizationCodeMixin):
    code: str
    client_id: str
    redirect_uri: str
    scope: str
    user: _User
    nonce: str | None
    code_challenge: str | None
    code_challenge_method: str | None
    auth_time: int = field(default_factory=lambda: int(time.time()))

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope

    def get_nonce(self) -> str | None:
        return self.nonce

    def get_auth_time(self) -> int:
        return self.auth_time

    def get_acr(self) -> None:
        return None

    def get_amr(self) -> None:
        return None


# ------------------------------------------------------------------------------------------------
# The provider
# ------------------------------------------------------------------------------------------------
class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class OidcProvider:
    """See the module docstring."""

    def __init__(
        self,
        users: Mapping[str, Mapping[str, Any]],
        *,
        client_id: str,
        client_secret: str,
        redirect_uri: str,
        host: str = "127.0.0.1",
    ):
        self.users = {email.casefold(): _User(email, dict(claims)) for email, claims in users.items()}
        self.client = _Client(client_id, client_secret, redirect_uri)
        self.key = RSAKey.generate_key(2048, parameters={"kid": "cchc-test", "use": "sig", "alg": "RS256"})
        self.codes: dict[str, _Code] = {}
        self.signed_in: list[str] = []
        self.signed_out: list[str] = []
        self._httpd = make_server(host, 0, self._app, server_class=_ThreadingServer, handler_class=_QuietHandler)
        self.issuer = f"http://{host}:{self._httpd.server_port}"
        self.metadata_url = f"{self.issuer}/.well-known/openid-configuration"
        self._server = self._authorization_server()
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="oidc-provider", daemon=True)

    def __enter__(self) -> OidcProvider:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(10)

    # -- Authlib's server, wired to this provider's client, codes and key --------------------------
    def _authorization_server(self) -> AuthorizationServer:
        provider = self

        class Server(AuthorizationServer):
            def query_client(self, client_id: str) -> _Client | None:
                return provider.client if client_id == provider.client.client_id else None

            def save_token(self, token: dict, request: _Request) -> None:
                pass  # the dashboard never calls back with the access token

            def create_oauth2_request(self, request: _Request) -> _Request:
                return request

            def create_json_request(self, request: _Request) -> _Request:
                return request

            def handle_response(self, status: int, body: Any, headers: list) -> tuple[int, Any, list]:
                return status, body, headers

            def send_signal(self, name: str, *args: Any, **kwargs: Any) -> None:
                pass

        class CodeGrant(AuthorizationCodeGrant):
            TOKEN_ENDPOINT_AUTH_METHODS = ("client_secret_basic", "client_secret_post")

            def save_authorization_code(self, code: str, request: _Request) -> None:
                data = request.payload.data
                provider.codes[code] = _Code(
                    code,
                    request.client.client_id,
                    request.payload.redirect_uri,
                    request.scope,
                    request.user,
                    data.get("nonce"),
                    data.get("code_challenge"),
                    data.get("code_challenge_method"),
                )

            def query_authorization_code(self, code: str, client: _Client) -> _Code | None:
                found = provider.codes.get(code)
                return found if found is not None and found.client_id == client.client_id else None

            def delete_authorization_code(self, authorization_code: _Code) -> None:
                provider.codes.pop(authorization_code.code, None)

            def authenticate_user(self, authorization_code: _Code) -> _User:
                return authorization_code.user

        class IdToken(OpenIDCode):
            def exists_nonce(self, nonce: str, request: _Request) -> bool:
                return any(c.nonce == nonce for c in provider.codes.values())

            def resolve_client_private_key(self, client: _Client) -> RSAKey:
                return provider.key

            def get_client_claims(self, client: _Client) -> dict[str, Any]:
                return {"iss": provider.issuer, "aud": [client.client_id]}

            def generate_user_info(self, user: _User, scope: str) -> UserInfo:
                return UserInfo(sub=user.email, email=user.email, email_verified=True, name=user.email, **user.claims)

        server = Server()
        server.register_token_generator(
            "default", BearerTokenGenerator(lambda *_, **__: secrets.token_urlsafe(32), None, lambda *_, **__: 3600)
        )
        server.register_grant(CodeGrant, [IdToken(require_nonce=True), CodeChallenge(required=True)])
        return server

    # -- HTTP --------------------------------------------------------------------------------------
    def _metadata(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "jwks_uri": f"{self.issuer}/jwks",
            "end_session_endpoint": f"{self.issuer}/logout",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", "email", "profile"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "code_challenge_methods_supported": ["S256"],
            "claims_supported": ["sub", "email", "email_verified", "name", "groups"],
        }

    def _app(self, environ: dict, start_response) -> list[bytes]:
        path, method = environ["PATH_INFO"], environ["REQUEST_METHOD"]
        request = _request(environ)
        if path == "/.well-known/openid-configuration":
            status, body, headers = 200, self._metadata(), []
        elif path == "/jwks":
            status, body, headers = 200, {"keys": [self.key.as_dict(private=False)]}, []
        elif path == "/authorize" and method == "GET":
            status, body, headers = self._sign_in_form(request)
        elif path == "/authorize" and method == "POST":
            status, body, headers = self._authorize(request)
        elif path == "/token" and method == "POST":
            status, body, headers = self._server.create_token_response(request)
        elif path == "/logout":
            status, body, headers = self._logout(request)
        else:
            status, body, headers = 404, "not found", []
        if isinstance(body, dict):
            body, headers = json.dumps(body), [*headers, ("Content-Type", "application/json")]
        elif not any(name.lower() == "content-type" for name, _ in headers):
            headers = [*headers, ("Content-Type", "text/html; charset=utf-8")]
        start_response(f"{status} {'OK' if status < 400 else 'Error'}", list(headers))
        return [body.encode("utf-8") if isinstance(body, str) else body or b""]

    def _sign_in_form(self, request: _Request) -> tuple[int, str, list]:
        try:
            self._server.get_consent_grant(request)  # client, redirect URI, scope, nonce, PKCE: checked now
        except Exception as error:
            return 400, f"<p>invalid request: {html.escape(str(error))}</p>", []
        hidden = "".join(
            f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">' for k, v in request.args.items()
        )
        page = (
            "<!doctype html><title>Sign in</title><form method=post action=/authorize>"
            f'{hidden}<label>E-mail <input name="login_email" autocomplete="off"></label>'
            '<button type="submit">Sign in</button></form>'
        )
        return 200, page, []

    def _authorize(self, request: _Request) -> tuple[int, Any, list]:
        user = self.users.get((request.form.get("login_email") or "").strip().casefold())
        if user is None:
            return 403, "<p>unknown user</p>", []
        grant = self._server.get_consent_grant(request, end_user=user)
        self.signed_in.append(user.email)
        return self._server.create_authorization_response(request, grant_user=user, grant=grant)

    def _logout(self, request: _Request) -> tuple[int, str, list]:
        target = request.args.get("post_logout_redirect_uri") or self.client.redirect_uri
        origin = "{0.scheme}://{0.netloc}".format(urlsplit(self.client.redirect_uri))
        if not target.startswith(origin + "/"):
            return 400, "<p>post_logout_redirect_uri is not the client's</p>", []
        self.signed_out.append(request.args.get("id_token_hint", "")[:16])
        return 302, "", [("Location", target)]


def secrets_toml(provider: OidcProvider, cookie_secret: str | None = None) -> str:
    """The `[auth]` section of `.streamlit/secrets.toml` for signing in with `provider`."""
    values = {
        "redirect_uri": provider.client.redirect_uri,
        "cookie_secret": cookie_secret or secrets.token_urlsafe(48),
        "client_id": provider.client.client_id,
        "client_secret": provider.client.client_secret,
        "server_metadata_url": provider.metadata_url,
    }
    return "[auth]\n" + "".join(f"{key} = {json.dumps(value)}\n" for key, value in values.items())


__all__ = ["OidcProvider", "secrets_toml"]
