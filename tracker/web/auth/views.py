"""Sign in and sign out; the auth service does the checking and throttling."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from tracker.domain.vocabulary import SignInMethod
from tracker.models import User
from tracker.policy import landing_endpoint
from tracker.services.accounts import auth, sessions
from tracker.web.auth.forms import SignInForm

blueprint = Blueprint("auth", __name__)

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
    """Someone given a password by an admin (or reset by one) changes it before anything else."""
    if request.endpoint in OPEN_WHILE_PASSWORD_MUST_CHANGE or request.endpoint is None:
        return None
    if current_user.is_authenticated and current_user.must_change_password:
        # Remember where they were going, to carry on there once the password is changed.
        going = request.full_path.rstrip("?") if request.method == "GET" else None
        return redirect(url_for("account.password", next=safe_next(going)))
    return None


@blueprint.route("/sign-in", methods=["GET", "POST"])
def sign_in() -> Response | str | tuple[str, int]:
    if current_user.is_authenticated:
        return redirect(_landing())
    form = SignInForm()
    next_url = safe_next(request.args.get("next"))
    if form.validate_on_submit():
        try:
            user = auth.authenticate(
                form.email.data or "",
                form.password.data or "",
                address=request.remote_addr,
                user_agent=request.user_agent.string,
            )
        except auth.SignInThrottled as error:
            form.email.errors.append(error.message)
            return render_template("auth/sign_in.html", form=form), 429
        except auth.SignInFailed as error:
            form.email.errors.append(error.message)
            return render_template("auth/sign_in.html", form=form), 200
        begin_session(user, SignInMethod.PASSWORD)
        if user.must_change_password:
            return redirect(url_for("account.password", next=next_url))
        return redirect(next_url or _landing())
    return render_template("auth/sign_in.html", form=form)


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
