#!/usr/bin/env python3
# make-fixture.py — writes schema-v1.sql beside it (run once from a git
# checkout; the output is committed and is what the tests read). The DDL is
# taken from the first commit of scheduler/sched-db.c, so that the fixture is
# what the oldest code wrote; the rows are made up below.
import datetime, hashlib, os, re, subprocess, uuid

here = os.path.dirname(os.path.abspath(__file__))
src = subprocess.run(["git", "-C", here, "show", "9b4a77b:scheduler/sched-db.c"],
                     check=True, capture_output=True, text=True).stdout
m = re.search(r'static const gchar schema_v1\[\]\s*=\s*((?:\s*"(?:[^"\\]|\\.)*")+)\s*;', src)
ddl = ''.join(re.findall(r'"((?:[^"\\]|\\.)*)"', m.group(1)))
ddl = ddl.replace(';', ';\n').replace('  ', '\n  ').replace('\n\n', '\n')

TZ = datetime.timezone(datetime.timedelta(hours=7))
def ts(y, mo, d, h, mi=0):
    return int(datetime.datetime(y, mo, d, h, mi, tzinfo=TZ).timestamp())
def q(s):
    return "NULL" if s is None else "'" + str(s).replace("'", "''") + "'"

units = [("tinh-uy", "Tỉnh ủy Nghệ An", 100), ("ubnd-tinh", "UBND tỉnh Nghệ An", 90),
         ("so-tttt", "Sở Thông tin và Truyền thông", 50), ("so-tc", "Sở Tài chính", 50),
         ("ubnd-vinh", "UBND thành phố Vinh", 10)]
rooms = [("tinh-uy", "Tỉnh ủy", "province", "tinh-uy", None, 0),
         ("ubnd-tinh", "UBND tỉnh", "province", "ubnd-tinh", None, 0),
         ("so-tttt", "Sở TT&TT", "department", "so-tttt", "ubnd-tinh", 0),
         ("ubnd-vinh", "UBND TP Vinh", "district", "ubnd-vinh", "ubnd-tinh", 0),
         ("ubnd-cua-lo", "UBND TX Cửa Lò", "district", None, "ubnd-tinh", 0),
         ("ubnd-thai-hoa", "UBND TX Thái Hòa", "district", None, "ubnd-tinh", 0),
         ("ubnd-do-luong", "UBND huyện Đô Lương", "district", None, "ubnd-tinh", 0),
         ("ubnd-ky-son", "UBND huyện Kỳ Sơn (xóa khỏi danh sách)", "district", None, "ubnd-tinh", 1)]
out = ["-- tests/upgrade/schema-v1.sql — a vc-scheduler database of schema version 1,",
       "-- the oldest schema the migrations of scheduler/sched-db.c know. The DDL is",
       "-- schema_v1 as in the first commit of scheduler/sched-db.c (9b4a77b), the",
       "-- rows are example data (Nghệ An's units and some of its rooms; meetings of",
       "-- 2019, 2023 and the first half of 2024 as the provincial report counts",
       "-- them: 12, of which UBND tỉnh 07, Tỉnh ủy 03, Sở TT&TT 01, Sở Tài chính 01;",
       "-- a future series, cancelled and displaced meetings, attendance, tokens,",
       "-- audit log, join links). tests/upgrade/check-upgrade.sh upgrades it.",
       "-- Tokens (only their SHA-256 is stored): admin 'fixture-admin-token-0000000000000000000000000'.",
       "PRAGMA foreign_keys = ON;", "BEGIN;", ddl.strip()]
for c, n, p in units:
    out.append(f"INSERT INTO units VALUES ({q(c)}, {q(n)}, {p});")
for c, n, lvl, u, par, dele in rooms:
    out.append(f"INSERT INTO endpoints VALUES ({q(c)}, {q(n)}, {q(lvl)}, {q(u)}, {q(par)}, {dele});")

meetings = []  # (unit, chair, start, end, status, rooms, series, held)
def add(unit, chair, start, hours, status="ended", rms=None, series=None, held=True):
    rms = rms or ["tinh-uy", "ubnd-tinh", "ubnd-vinh", "ubnd-cua-lo", "ubnd-thai-hoa"]
    meetings.append((unit, chair, start, start + int(hours * 3600), status, rms, series, held))
# 2019: 10 meetings
for i in range(10):
    unit = ["ubnd-tinh", "tinh-uy", "so-tttt"][i % 3]
    add(unit, unit if unit != "so-tttt" else "so-tttt", ts(2019, 1 + i, 10 + i % 5, 8), 2,
        rms=["ubnd-tinh", "so-tttt", "ubnd-vinh", "ubnd-ky-son"] if unit != "tinh-uy" else None)
# 2023: 8 meetings, one not held (only one room joined)
for i in range(8):
    add("ubnd-tinh", "ubnd-tinh", ts(2023, 1 + i, 5, 14), 1.5, held=(i != 3))
# first half of 2024: 12 held (UBND 7, Tỉnh ủy 3, Sở TT&TT 1, Sở TC 1)
plan = ["ubnd-tinh"] * 7 + ["tinh-uy"] * 3 + ["so-tttt", "so-tc"]
for i, unit in enumerate(plan):
    chair = {"so-tc": "ubnd-tinh"}.get(unit, unit)
    add(unit, chair, ts(2024, 1 + i // 2, 3 + 7 * (i % 2) + (i % 3), 8 + i % 3), 2.5)
# cancelled and displaced in 2024
add("so-tttt", "so-tttt", ts(2024, 3, 20, 9), 1, status="cancelled", held=False)
add("so-tttt", "so-tttt", ts(2024, 4, 2, 9), 1, status="displaced", held=False)
# a weekly series in 2030, still scheduled
for k in range(4):
    add("ubnd-tinh", "ubnd-tinh", ts(2030, 3, 4 + 7 * k, 8), 2, status="scheduled", series=1, held=False)

rule = '{"freq":"weekly","interval":1,"count":4}'
out.append(f"INSERT INTO series VALUES (1, {q(rule)}, {ts(2026, 1, 5, 9)});")
for mid, (unit, chair, s, e, status, rms, series, held) in enumerate(meetings, start=1):
    active = 1 if status in ("scheduled", "ended") else 0
    present = len(rms) if held else (1 if status == "ended" else 0)
    actual = (e - s - 120) if held else 0
    created = s - 7 * 86400
    ended_at = e if status == "ended" else None
    title = f"Họp trực tuyến số {mid:02d}"
    out.append("INSERT INTO meetings VALUES (%d, %s, %s, %s, %s, %d, %d, %s, %d, %s, %d, %d, %s, 0, %d, %d, %d, %d);" % (
        mid, "NULL" if series is None else series, q(title), q(unit), q(chair), s, e, q(status), 1 if status != "cancelled" else 2,
        q("token:1"), created, created if status != "cancelled" else s - 86400, "NULL" if ended_at is None else ended_at,
        1 if held else 0, actual, present, len(rms)))
    for r in rms:
        out.append(f"INSERT INTO meeting_endpoints VALUES ({mid}, {q(r)}, {s}, {e}, {active});")
    if status == "ended":
        joiners = rms if held else rms[:1]
        for j, r in enumerate(joiners):
            jid = uuid.uuid5(uuid.NAMESPACE_URL, f"vc-fixture/{mid}/{r}/joined")
            lid = uuid.uuid5(uuid.NAMESPACE_URL, f"vc-fixture/{mid}/{r}/left")
            out.append(f"INSERT INTO attendance_events VALUES ({q(jid)}, {mid}, {q(r)}, 'joined', {s + 60 + j}, NULL, {s + 61 + j});")
            out.append(f"INSERT INTO attendance_events VALUES ({q(lid)}, {mid}, {q(r)}, 'left', {e - 60}, 'ended', {e - 59});")
    detail = '{"title":"' + title + '"}'
    out.append(f"INSERT INTO audit_log (at, actor, action, meeting_id, detail) VALUES ({created}, 'token:1', 'create', {mid}, {q(detail)});")
toks = [("admin", None, None, "Quản trị (fixture)", "fixture-admin-token-0000000000000000000000000", 0),
        ("secretariat", "ubnd-tinh", None, "Văn phòng UBND tỉnh", "fixture-secretariat-token-000000000000000000", 0),
        ("manager", None, None, "Sở TT&TT", "fixture-manager-token-0000000000000000000000", 0),
        ("endpoint", None, "ubnd-vinh", "Agent UBND TP Vinh", "fixture-endpoint-token-000000000000000000000", 0),
        ("secretariat", "so-tc", None, "Văn phòng Sở TC (thu hồi)", "fixture-revoked-token-0000000000000000000000", 1)]
for i, (role, unit, ep, name, tok, rev) in enumerate(toks, start=1):
    h = hashlib.sha256(tok.encode()).hexdigest()
    out.append(f"INSERT INTO tokens VALUES ({i}, {q(h)}, {q(role)}, {q(unit)}, {q(ep)}, {q(name)}, {ts(2019, 1, 2, 9)}, {rev});")
out.append(f"INSERT INTO join_links VALUES (1, 31, 'Lãnh đạo đi công tác', 'token:2', {ts(2024, 6, 1, 9)}, {ts(2024, 6, 30, 17)});")
out.append("PRAGMA user_version = 1;")
out.append("COMMIT;")
open(os.path.join(here, 'schema-v1.sql'), 'w').write('\n'.join(out) + '\n')
