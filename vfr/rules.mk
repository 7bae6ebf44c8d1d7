# vfr/rules.mk - the rule half of the VFR: rule model, rulesets, classifier,
# rule language; their host tests, golden files and fuzzer.
VFR_RULE_SRCS := vfr/rule.c vfr/prefix.c vfr/classify.c vfr/ruleset.c \
		 vfr/rulelex.c vfr/rulelang.c vfr/ruleprint.c

HOST_TESTS += test_vfr_rule_classify
test_vfr_rule_classify_SRCS := tests/host/test_vfr_rule_classify.c \
			       vfr/rule.c vfr/prefix.c vfr/classify.c

HOST_TESTS += test_vfr_ruleset
test_vfr_ruleset_SRCS := tests/host/test_vfr_ruleset.c $(VFR_RULE_SRCS)

HOST_TESTS += test_vfr_rulelang
test_vfr_rulelang_SRCS := tests/host/test_vfr_rulelang.c $(VFR_RULE_SRCS)

# Golden files: tests/golden/rulelang/NAME.rules with NAME.out or NAME.err.
HOST_TESTS += test_vfr_golden
test_vfr_golden_SRCS := tests/host/test_vfr_golden.c $(VFR_RULE_SRCS)

FUZZ_TARGETS += fuzz_vfr_rulelang
fuzz_vfr_rulelang_SRCS := tests/fuzz/fuzz_vfr_rulelang.c $(VFR_RULE_SRCS)
