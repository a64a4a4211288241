"""Sign in and sign out; the auth service does the checking and throttling."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from tracker.domain.vocabulary import SignInMethod
from tracker.models import User
from tracker.policy import landing_endpoint
from tracker.services.accounts import auth, directory, sessions
from tracker.web.auth import provider
from tracker.web.auth.forms import SignInForm
from tracker.web.security import content_security_policy, csp_nonce

blueprint = Blueprint("auth", __name__)

# Where `next` waits, with the state it belongs to, while the person is at the directory's sign-in page.
DIRECTORY_NEXT = "directory_next"

# Pages a person who must change their password can still reach.
OPEN_WHILE_PASSWORD_MUST_CHANGE = frozenset(
    {
        "account.password",
        "auth.sign_out",
        "static",
        "main.healthz",
        "main.accessibility",
        "main.help",
        "main.favicon",
    }
)


def safe_next(target: str | None) -> str | None:
    """Only paths on this site: no scheme, no host, no protocol-relative or backslash tricks."""
    if not target:
        return None
    target = target.strip()
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def _landing() -> str:
    endpoint, args = landing_endpoint(current_user)
    return url_for(endpoint, **args)


@blueprint.before_app_request
def password_change_first() -> Response | None:
    """Someone given a password by an admin (or reset by one) changes it before anything else, unless
    they signed in through the directory: then the password here is not what let them in."""
    if request.endpoint in OPEN_WHILE_PASSWORD_MUST_CHANGE or request.endpoint is None:
        return None
    if (
        current_user.is_authenticated
        and current_user.must_change_password
        and current_user.session_method is not SignInMethod.OIDC
    ):
        # Remember where they were going, to carry on there once the password is changed.
        going = request.full_path.rstrip("?") if request.method == "GET" else None
        return redirect(url_for("account.password", next=safe_next(going)))
    return None


def _sign_in_page(form: SignInForm, next_url: str | None, status: int = 200) -> Response:
    """The sign-in page: the directory's button when there is one, and the password form unless
    password sign-in is off (then only on the break-glass admins' `?password=1` page)."""
    config = current_app.config
    show_form = bool(config["LOCAL_SIGN_IN"]) or request.args.get("password") == "1"
    page = render_template(
        "auth/sign_in.html",
        form=form,
        next_url=next_url,
        directory_label=config["OIDC_LABEL"] if config["OIDC_ISSUER"] else None,
        show_password_form=show_form,
        local_sign_in=bool(config["LOCAL_SIGN_IN"]),
    )
    response = make_response(page, status)
    if config["OIDC_ISSUER"]:
        # The button's form leads to the directory's sign-in page: the CSP must let it go there.
        targets = provider.form_targets()
        response.headers["Content-Security-Policy"] = content_security_policy(
            csp_nonce(), form_targets=targets
        )
    return response


@blueprint.route("/sign-in", methods=["GET", "POST"])
def sign_in() -> Response:
    if current_user.is_authenticated:
        return redirect(_landing())
    form = SignInForm()
    next_url = safe_next(request.args.get("next"))
    local = bool(current_app.config["LOCAL_SIGN_IN"])
    if form.validate_on_submit():
        try:
            user = auth.authenticate(
                form.email.data or "",
                form.password.data or "",
                address=request.remote_addr,
                user_agent=request.user_agent.string,
                method=SignInMethod.PASSWORD if local else SignInMethod.BREAK_GLASS,
                only_emails=None if local else frozenset(current_app.config["BREAK_GLASS_EMAILS"]),
            )
        except auth.SignInThrottled as error:
            form.email.errors.append(error.message)
            return _sign_in_page(form, next_url, 429)
        except auth.SignInFailed as error:
            form.email.errors.append(error.message)
            return _sign_in_page(form, next_url)
        begin_session(user, SignInMethod.PASSWORD if local else SignInMethod.BREAK_GLASS)
        if user.must_change_password:
            return redirect(url_for("account.password", next=next_url))
        return redirect(next_url or _landing())
    return _sign_in_page(form, next_url)


def _directory_problem(problem: str, status: int, **details: object) -> tuple[str, int]:
    """A page saying why signing in through the directory did not work, and what to do instead."""
    return render_template(
        "auth/directory_problem.html",
        problem=problem,
        label=current_app.config["OIDC_LABEL"],
        local_sign_in=bool(current_app.config["LOCAL_SIGN_IN"]),
        **details,
    ), status


def _throttled(error: auth.SignInThrottled) -> tuple[str, int]:
    return _directory_problem("throttled", 429, message=error.message)


@blueprint.route("/sign-in/directory", methods=["POST"])
def directory_start() -> Response | tuple[str, int]:
    """Send the person to the directory's sign-in page; `next` waits in the session for their return."""
    if not current_app.config["OIDC_ISSUER"]:
        abort(404)
    address, agent = request.remote_addr, request.user_agent.string
    try:
        auth.check_address(address, method=SignInMethod.OIDC, user_agent=agent)
    except auth.SignInThrottled as error:
        return _throttled(error)
    callback = current_app.config["BASE_URL"].rstrip("/") + url_for("auth.directory_callback")
    try:
        response, state = provider.start(callback)
    except provider.ProviderUnavailable as error:
        directory.record_unavailable(error.reason, address=address, user_agent=agent)
        return _directory_problem("unavailable", 503)
    session[DIRECTORY_NEXT] = {"state": state, "next": safe_next(request.form.get("next"))}
    return response


@blueprint.route("/sign-in/directory/callback")
def directory_callback() -> Response | tuple[str, int]:
    """Where the directory sends the person back: check its answer, then sign them in (or say why not)."""
    config = current_app.config
    if not config["OIDC_ISSUER"]:
        abort(404)
    address, agent = request.remote_addr, request.user_agent.string
    try:
        auth.check_address(address, method=SignInMethod.OIDC, user_agent=agent)
    except auth.SignInThrottled as error:
        return _throttled(error)
    pending = session.pop(DIRECTORY_NEXT, None) or {}
    next_url = safe_next(pending.get("next")) if pending.get("state") == request.args.get("state") else None
    try:
        claims = provider.finish()
    except provider.ProviderUnavailable as error:
        directory.record_unavailable(error.reason, address=address, user_agent=agent)
        return _directory_problem("unavailable", 503)
    except provider.SignInRejected as error:
        directory.record_failure(error.reason, address=address, user_agent=agent)
        return _directory_problem("failed", 400)
    try:
        user = directory.sign_in(
            claims,
            role_map=config["OIDC_ROLE_MAP"],
            default_role=config["OIDC_DEFAULT_ROLE"],
            address=address,
            user_agent=agent,
        )
    except directory.DirectoryRefused as refusal:
        return _directory_problem("refused", 403, message=refusal.message, admins=refusal.admins)
    begin_session(user, SignInMethod.OIDC)
    return redirect(next_url or _landing())


def begin_session(user: User, method: SignInMethod) -> None:
    """Sign a person in on this device, whatever the method: a new server-side session, and a fresh
    cookie, so an identifier planted before sign-in is worth nothing."""
    session.clear()
    sessions.start(user, method=method, address=request.remote_addr, user_agent=request.user_agent.string)
    login_user(user)
    session.permanent = True


@blueprint.route("/sign-out", methods=["POST"])
def sign_out() -> Response:
    if current_user.is_authenticated and current_user.session_id is not None:
        # Only this device: its session ends on the server, so a copy of this cookie (a shared
        # computer, a proxy log) is worth nothing; other devices stay signed in.
        sessions.end(current_user.session_id, reason="Signed out", owner=current_user._get_current_object())
    logout_user()
    session.clear()
    flash("You have signed out.", "success")
    return redirect(url_for("auth.sign_in"))
