#!/usr/bin/python3
"""
The WebKit "browser" the WebKit browser tests drive through WebKitWebDriver: a bare WebKitGTK
window, as close to Safari on an iPad as Linux gets. It exists because MiniBrowser, in
automation mode, keeps no profile and sends no console messages. This host:

- keeps its profile (service worker, caches, IndexedDB, cookies) in the folder `--profile=DIR`
  names, so a test can quit the browser, stop the server and start it again cold and offline;
- writes every console message (and unhandled error) of every page to the file `--log=FILE`
  names, which the test harness reads to fail a test whose pages logged an error;
- gives pages the mock camera and microphone with permission granted, as an iPad whose user
  said "Allow" would.

WebKitWebDriver starts it as `webkit-host.py --automation`.
"""
import os
import sys

import gi

gi.require_version("Gtk", "3.0")
gi.require_version("WebKit2", "4.1")
from gi.repository import Gtk, WebKit2  # noqa: E402


def option(name):
    # WebKitWebDriver passes the browser no environment of its own: settings come as arguments.
    prefix = f"--{name}="
    return next((a[len(prefix) :] for a in sys.argv if a.startswith(prefix)), None)


# WebKitWebDriver does not pass the browser's output on: the web processes inherit this file.
log = option("log")
if log:
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(fd, 1)
    os.dup2(fd, 2)

profile = option("profile")
if profile:
    data_manager = WebKit2.WebsiteDataManager(
        base_data_directory=os.path.join(profile, "data"),
        base_cache_directory=os.path.join(profile, "cache"),
    )
else:
    data_manager = WebKit2.WebsiteDataManager.new_ephemeral()
context = WebKit2.WebContext.new_with_website_data_manager(data_manager)
context.set_automation_allowed(True)
if profile:
    cookies = context.get_cookie_manager()
    cookies.set_persistent_storage(
        os.path.join(profile, "cookies.sqlite"), WebKit2.CookiePersistentStorage.SQLITE
    )
    cookies.set_accept_policy(WebKit2.CookieAcceptPolicy.ALWAYS)

settings = WebKit2.Settings()
settings.set_property("enable-write-console-messages-to-stdout", True)
# `--no-camera`: an iPad whose camera cannot help (no media devices at all).
media = "--no-camera" not in sys.argv
settings.set_property("enable-media-stream", media)
settings.set_property("enable-mock-capture-devices", media)
settings.set_property("enable-developer-extras", True)

windows = []


def allow(_view, request):
    # Camera and microphone: granted, as after the user tapped "Allow".
    if isinstance(request, WebKit2.UserMediaPermissionRequest):
        request.allow()
        return True
    return False


def new_view():
    view = WebKit2.WebView(
        web_context=context, settings=settings, is_controlled_by_automation=True
    )
    view.connect("permission-request", allow)
    window = Gtk.Window()
    window.set_default_size(1024, 768)
    window.add(view)
    window.connect("destroy", lambda _w: windows.remove(window) if window in windows else None)
    window.show_all()
    windows.append(window)
    view.connect("close", lambda _v: window.destroy())
    return view


def automation_started(_context, session):
    info = WebKit2.ApplicationInfo()
    info.set_name("LanternWebKit")
    info.set_version(1, 0, 0)
    session.set_application_info(info)
    session.connect("create-web-view", lambda _s: new_view())


context.connect("automation-started", automation_started)

if "--automation" not in sys.argv:
    # By hand, for a look: webkit-host.py URL
    pages = [a for a in sys.argv[1:] if not a.startswith("--")]
    new_view().load_uri(pages[0] if pages else "about:blank")

Gtk.main()
