// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <cmocka.h>
#include <krsi/log.h>
#include <krsi/self.h>

static int silent(enum krsi_print_level level, const char *fmt, va_list args)
{
	(void)level;
	(void)fmt;
	(void)args;
	return 0;
}

static void test_self_id_names_this_process(void **state)
{
	struct krsi_self_id id;
	struct stat st;

	(void)state;
	memset(&id, 0xff, sizeof(id));
	assert_int_equal(krsi_get_self_id(&id), 0);
	assert_int_equal(stat("/proc/self/ns/pid", &st), 0);
	assert_int_equal(id.tgid, getpid());
	assert_int_equal(id.pidns_ino, st.st_ino);
	/* The kernel's dev_t: major above bit 20, minor below. */
	assert_int_equal(id.pidns_dev >> 20, major(st.st_dev));
	assert_int_equal(id.pidns_dev & 0xfffff, minor(st.st_dev));
	assert_int_equal(id.reserved, 0);
}

static void test_self_id_null(void **state)
{
	krsi_print_fn_t old = krsi_set_print(silent);

	(void)state;
	errno = 0;
	assert_int_equal(krsi_get_self_id(NULL), -EINVAL);
	assert_int_equal(errno, EINVAL);
	krsi_set_print(old);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_self_id_names_this_process),
		cmocka_unit_test(test_self_id_null),
	};

	return cmocka_run_group_tests_name("self", tests, NULL, NULL);
}
