# SPDX-License-Identifier: LGPL-2.1-or-later
"""`sigma apps` and `sigma tools`: the app classes, their aliases and the tools an agent sees."""

import json
import os
import subprocess

SIGMA = os.environ["SIGMA_CLI"]


def sigma(*args):
    return subprocess.run([SIGMA, *args], capture_output=True, text=True, timeout=60)


def test_apps_lists_classes_with_their_canonical_names():
    result = sigma("apps", "--json")
    assert result.returncode == 0, result.stderr
    apps = {a["class_name"]: a for a in json.loads(result.stdout)}
    assert apps["EmailClientV2"]["canonical"] == "EmailClientApp"
    assert apps["EmailClientV2"]["type"] == "SigmaEmailApp"
    assert apps["SandboxLocalFileSystem"]["canonical"] == "SandboxLocalFileSystem"
    for name in ("AgentUserInterface", "SystemApp", "CalendarApp", "MessagingAppV2", "ContactsApp",
                 "ShoppingApp", "ReminderApp", "CabApp", "ApartmentListingApp", "CityApp"):
        assert name in apps, sorted(apps)
    plain = sigma("apps")
    assert plain.returncode == 0 and "EmailClientV2" in plain.stdout


def test_tools_by_class_and_by_gaia2_instance_name():
    by_class = json.loads(sigma("tools", "EmailClientV2", "--json").stdout)
    result = sigma("tools", "Emails", "--json")
    assert result.returncode == 0, result.stderr
    by_instance = json.loads(result.stdout)
    assert [t["name"] for t in by_class] == [t["name"] for t in by_instance]
    send = next(t for t in by_instance if t["name"] == "send_email")
    assert send["schema"]["function"]["name"] == "Emails__send_email"
    assert send["operation"] == "write" and "agent" in send["roles"]
    assert list(send["schema"]["function"]["parameters"]["properties"])[:2] == ["recipients", "subject"]
    chats = json.loads(sigma("tools", "Chats", "--json").stdout)
    assert any(t["schema"]["function"]["name"] == "Chats__send_message" for t in chats)


def test_tools_of_an_unknown_app_is_an_error():
    for args in (["tools", "NoSuchApp"], ["tools"], ["tools", "Emails", "Chats"]):
        result = sigma(*args)
        assert result.returncode == 2, (args, result.stdout, result.stderr)
        assert result.stderr.startswith("sigma tools: "), result.stderr
    assert "NoSuchApp" in sigma("tools", "NoSuchApp").stderr
