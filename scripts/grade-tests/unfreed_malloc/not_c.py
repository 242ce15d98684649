#!/usr/bin/env python3
# unfreed_malloc, a wrong fix: the program rewritten in Python
#
# The fix      No malloc, no leak: the same requests and checksum, in Python.
# Why wrong    The exercise is to fix the C program; this is not C source.
#              The grader says so (it starts with #!) instead of feeding it
#              to the compiler, and runs nothing else.
# Must fail: all
# Must say: compiles: not C source
# Must say: same_output: not_c.py is not C source
import sys

RECORD_SIZE = 1344


def handle_request(rid, total):
    body = bytes([ord("a") + rid % 26]) * (RECORD_SIZE - 4)
    for i in range(0, len(body), 64):
        total = (total * 31 + body[i] + rid) & 0xFFFFFFFF
    return total


def main():
    requests = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    total = 0
    for i in range(requests):
        total = handle_request(i, total)
    print(f"unfreed_malloc: {requests} requests, checksum {total:08x}")


main()
