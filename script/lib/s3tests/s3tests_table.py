"""Turns script/s3tests results (JSON lines) into issue #17's table: category, passed, failed, left out and why.

A test is left out when the suite marks it fails_on_aws, or when it needs a feature another issue delivers
(object lock, ACL grants, policies, CORS, POST and the rest named below); every other test counts
in the first category its name matches. Usage: s3tests_table.py results.jsonl [--failures]
"""
import collections
import json
import re
import sys

# (reason, markers, name pattern): the first that matches leaves a test out.
LEFT_OUT = [
    ("fails_on_aws", {"fails_on_aws"}, None),
    # Tests that expect RGW's answer where AWS answers otherwise; each is a row of docs/compatibility.md's
    # "Where R2Meta deliberately differs" table or of its AWS-behaviour notes.
    ("AWS answers differently (docs/compatibility.md)", set(), r"^test_(" + "|".join([
        "object_raw_get_x_amz_expires_out_range_zero",    # AWS: 400 AuthorizationQueryParametersError, not 403
        "object_raw_get_x_amz_expires_out_max_range",     # the same for X-Amz-Expires > 604800
        "object_raw_get_x_amz_expires_out_positive_range",  # the same for a negative X-Amz-Expires
        "object_raw_put_authenticated_expired",           # the same (ExpiresIn=-1000 is a negative X-Amz-Expires)
        "multipart_copy_invalid_range",                   # AWS: 400 InvalidArgument "Range specified is not valid ..."
        "multipart_get_part", "multipart_single_get_part", "non_multipart_get_part",  # AWS: 416 InvalidPartNumber
        "get_bucket_encryption_s3", "delete_bucket_encryption_s3",  # AWS today: AES256 default, no NotFound error
        "bucket_create_exists", "bucket_recreate_not_overriding",   # us-east-1 legacy 200; other regions 409
        "versioning_concurrent_multi_object_delete",                # creates its bucket twice: the same 409 as above
        "object_set_get_unicode_metadata",  # S3 answers non-ASCII metadata RFC 2047-encoded, which botocore does not decode
        # A malformed checksum value: S3 answers 400 InvalidRequest "Value for x-amz-checksum-sha256 header is
        # invalid." (the AWS SDKs' own tests expect that message), not BadDigest, which is for a well-formed wrong value.
        "object_checksum_sha256", "object_checksum_crc64nvme", "multipart_checksum_sha256",
        # A SHA256 upload completed without its parts' checksums: S3 refuses it (InvalidRequest "The upload was created
        # using a sha256 checksum. The complete request must include the checksum for each part.").
        "get_multipart_checksum_object_attributes",
        # GetObjectAttributes lists Parts only for an object with a COMPOSITE checksum; S3 answers the count alone otherwise.
        "get_multipart_object_attributes", "get_paginated_multipart_object_attributes", "get_single_multipart_object_attributes",
        # GetObjectAttributes answers a COMPOSITE checksum without its "-N" (real S3, eu-west-1, 2026-09: floci-io/floci#3083);
        # the suite expects the "-N" that GET/HEAD carry.
        "multipart_use_cksum_helper_sha256", "multipart_use_cksum_helper_sha1",
        # GET by partNumber of a FULL_OBJECT object of several parts answers no part checksum on S3 (LocalStack's
        # AWS-validated snapshots, localstack#12842); the suite expects the part's.
        "multipart_use_cksum_helper_crc32", "multipart_use_cksum_helper_crc32c", "multipart_use_cksum_helper_crc64nvme",
        # Completes with part 1 listed twice; S3 answers InvalidPartOrder to a list that repeats a part (transloadit/uppy#2351).
        "multipart_resend_first_finishes_last",
        # HEAD of a missing key in an unversioned bucket: S3 sends x-amz-delete-marker only when it is true.
        "delete_marker_nonversioned",
        "put_excess_tags",                                # AWS: 400 BadRequest "Object tags cannot be greater than 10", not InvalidTag
        # Expects GetBucketOwnershipControls to answer 404 after DeleteBucketOwnershipControls: there are no ACLs to turn
        # back on, so ownership stays BucketOwnerEnforced (docs/compatibility.md, "Where R2Meta deliberately differs").
        "bucket_create_delete_bucket_ownership",
    ]) + r")$"),
    ("object lock (not planned)", {"object_lock"}, r"object_lock"),
    # _setup_bucket_object_acl and canned ACLs on create: public buckets and objects (#18).
    ("ACL grants / public buckets (another issue)", set(), r"acl|grant|ownership_(bucket_owner_preferred|object_writer)|access_bucket_|_raw_get$|raw_get_object_gone|raw_get_bucket_gone|delete_key_bucket_gone|x_amz_expires_not_expired|objects_anonymous$|list_return_data|expected_bucket_owner|multipart_upload_owner|special_key_names|not_owned_object_bucket|anon_put|100_continue$|raw_authenticated"),
    ("bucket policies / IAM (another issue)", {"bucket_policy", "iam_account", "iam_tenant", "iam_user", "iam_role", "group_policy", "user_policy", "abac_test"}, r"polic|public_access|public_block|_iam_|block_public|bucket_owner_enforced$|bucket_owner_preferred$|bucket_object_writer$"),
    # Lifecycle tests that wait for RGW's `rgw lc debug interval` (a day lasts seconds there) are mostly fails_on_aws;
    # these two are not: one waits 6 intervals for a delete marker to expire, the other transitions after 1 day, which
    # AWS refuses for STANDARD_IA (at least 30 days: InvalidArgument). End-to-end tests advance a clock instead.
    ("lifecycle: needs RGW's debug interval (days as seconds)", set(),
     r"^test_(lifecycle_plain_null_version_current_transition|delete_marker_expiration)$"),
    ("CORS (another issue)", {"cors"}, r"cors"),
    ("POST object (another issue)", set(), r"post_object"),
    ("SSE-C / SSE-KMS (501 by design)", set(), r"sse_c|sse-c|kms|encrypted_transfer|encryption_customer|encryption_key|enc_conflict"),
    ("bucket logging / notifications / select / website / torrent (not planned)", {"bucket_logging", "s3select", "sns"}, r"logging|notification|select|website|torrent|restore|cloud_|append|request_payment|accelerate|inventory|replication"),
]

CATEGORIES = [
    ("lifecycle", r"lifecycle|_lc_"),
    ("versioning", r"versioning|versioned|_version|delete_marker|current_object_if|object_current_if"),
    ("tagging", r"tagging|_tags?(_|$)"),
    ("checksum", r"checksum|crc|sha256|content_md5|_md5"),
    ("multipart", r"multipart|upload_part|_part_|abort|_parts"),
    ("copy", r"copy"),
    ("multi-delete", r"multi_object_delete|multi_objectv2_delete|delete_objects|multi_delete"),
    ("conditional", r"cond|if_?match|if_?none_?match|ifmatch|ifnonmatch|if_?modified|if_?unmodified|precondition|_lmt"),
    ("presigned/auth", r"presign|auth|signature|anon|unauthenticated|expired|credential|sig_?v|_raw_|bad_date|date_|amz_date|access_key"),
    ("range", r"range"),
    ("atomicity", r"atomic"),
    ("encryption / ownership (this issue, not in the table's scope)", r"encryption|sse_s3|ownership|copy_enc|copy_part_enc"),
    ("list objects", r"list|prefix|delimiter|marker|max_?keys|encoding_type|fetchowner|continuation|start_after"),
    ("bucket create/delete/list", r"bucket_create|bucket_delete|buckets?_list|list_buckets|bucket_head|bucketv?2?_notexist|create_exists|bucket_recreate|bucket_name|bad_bucket|good_bucket|buckets_create|bucket_starts|bucket_ends|bucket_contains"),
    ("metadata/headers", r"metadata|header|content_type|content_encoding|cache_control|expires|_meta|unicode|contentlength|content_length|response_"),
    ("object put/get/head/delete", r"object|_obj_|put|get|head|delete|key|read|write|empty"),
]


def left_out(test):
    for reason, markers, pattern in LEFT_OUT:
        if markers & set(test["markers"]) or (pattern and re.search(pattern, test["test"])):
            return reason
    return None


def category(name):
    for label, pattern in CATEGORIES:
        if re.search(pattern, name):
            return label
    return "other"


def main():
    tests = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8") if line.strip()]
    tests = [t for t in tests if t["outcome"] != "deselected" or left_out(t)]
    rows = collections.OrderedDict((label, collections.Counter()) for label, _ in CATEGORIES)
    rows["other"] = collections.Counter()
    reasons = {label: collections.Counter() for label in rows}
    failures = []
    for t in tests:
        label = category(t["test"])
        why = left_out(t)
        if why:
            rows[label]["left out"] += 1
            reasons[label][why] += 1
        elif t["outcome"] == "passed":
            rows[label]["passed"] += 1
        elif t["outcome"] == "skipped":
            rows[label]["left out"] += 1
            reasons[label]["skipped by the suite"] += 1
        else:
            rows[label]["failed"] += 1
            failures.append((label, t["test"], t["reason"]))
    print("| category | passed | failed | pass rate | left out | why left out |")
    print("| --- | ---: | ---: | ---: | ---: | --- |")
    totals = collections.Counter()
    for label, c in rows.items():
        run = c["passed"] + c["failed"]
        rate = f"{100 * c['passed'] / run:.0f}%" if run else "-"
        why = ", ".join(f"{r} {n}" for r, n in reasons[label].most_common())
        print(f"| {label} | {c['passed']} | {c['failed']} | {rate} | {c['left out']} | {why} |")
        totals.update(c)
    run = totals["passed"] + totals["failed"]
    print(f"| **all** | {totals['passed']} | {totals['failed']} | {100 * totals['passed'] / max(run, 1):.0f}% | {totals['left out']} | |")
    print(f"\n{len(tests)} tests; {sum(1 for t in tests if t['outcome'] == 'passed')} passed outright (left-out ones included)")
    if "--failures" in sys.argv:
        print()
        for label, name, reason in sorted(failures):
            print(f"- {label}: {name}: {reason}")


if __name__ == "__main__":
    main()
