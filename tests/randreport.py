"""randreport.py: how the randomized differential drivers (tests/t_*_random.py)
report one block of cases: its "# note:" lines (classified differences),
then one PASS line, or one FAIL line with every difference in full."""

import sys


def block(what, notes, diffs, runs=None):
    """what: the block's name; notes: texts; diffs: (desc, [detail lines]);
    runs: the number of tool runs in the block, when the unit is a run."""
    unit = "%d tool runs " % len(diffs) if runs is not None else "%d " % len(diffs)
    for x in notes:
        print("# note: %s" % x)
    if diffs:
        print("FAIL: %s: %sdiffer from the original" % (what, unit))
        for desc, detail in diffs:
            print("    " + desc)
            for x in detail:
                print("      " + x)
    else:
        extra = " (%d classified, see notes)" % len(notes) if notes else ""
        same = "%d tool runs same" % runs if runs is not None else "same"
        print("PASS: %s: %s as the original%s" % (what, same, extra))
    sys.stdout.flush()
