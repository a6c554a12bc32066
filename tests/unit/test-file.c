/* Files at rest: whether a database lies on an encrypted device, told from a
 * sysfs tree made here as the kernel lays it out. */
#include "testutil.h"

#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "mh-file.h"

static void put(const char *root, const char *rel, const char *text)
{
	char *p = xalloc_printf("%s/%s", root, rel);
	char *cmd = xalloc_printf("mkdir -p \"$(dirname '%s')\"", p);
	assert_int_equal(system(cmd), 0);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	free(cmd);
	free(p);
}

static void link_to(const char *root, const char *rel, const char *target)
{
	char *p = xalloc_printf("%s/%s", root, rel);
	char *cmd = xalloc_printf("mkdir -p \"$(dirname '%s')\" && ln -s '%s' '%s'", p, target, p);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(p);
}

static void test_encrypted_devices(void **state)
{
	(void)state;
	char *sys = testutil_tmpdir();
	/* a disk, its partitions; sda2 holds LUKS (dm-0), dm-0 holds LVM (dm-1) */
	put(sys, "devices/pci/block/sda/size", "1\n");
	put(sys, "devices/pci/block/sda/sda1/partition", "1\n");
	put(sys, "devices/pci/block/sda/sda2/partition", "2\n");
	put(sys, "devices/virtual/block/dm-0/dm/uuid", "CRYPT-LUKS2-0123456789abcdef-sda2_crypt\n");
	link_to(sys, "devices/virtual/block/dm-0/slaves/sda2", "../../../../pci/block/sda/sda2");
	put(sys, "devices/virtual/block/dm-1/dm/uuid", "LVM-abcdefABCDEF\n");
	link_to(sys, "devices/virtual/block/dm-1/slaves/dm-0", "../../dm-0");
	put(sys, "devices/virtual/block/dm-2/dm/uuid", "LVM-plainvolume\n");
	link_to(sys, "devices/virtual/block/dm-2/slaves/sda1", "../../../../pci/block/sda/sda1");
	link_to(sys, "dev/block/8:0", "../../devices/pci/block/sda");
	link_to(sys, "dev/block/8:1", "../../devices/pci/block/sda/sda1");
	link_to(sys, "dev/block/253:0", "../../devices/virtual/block/dm-0");
	link_to(sys, "dev/block/253:1", "../../devices/virtual/block/dm-1");
	link_to(sys, "dev/block/253:2", "../../devices/virtual/block/dm-2");

	assert_int_equal(mh_file_block_encrypted(8, 1, sys), 0);   /* a plain partition */
	assert_int_equal(mh_file_block_encrypted(8, 0, sys), 0);   /* a plain disk */
	assert_int_equal(mh_file_block_encrypted(253, 0, sys), 1); /* LUKS */
	assert_int_equal(mh_file_block_encrypted(253, 1, sys), 1); /* LVM on LUKS */
	assert_int_equal(mh_file_block_encrypted(253, 2, sys), 0); /* LVM on a plain partition */
	assert_int_equal(mh_file_block_encrypted(0, 45, sys), -1); /* tmpfs, overlay: no device */
	assert_int_equal(mh_file_block_encrypted(9, 9, sys), -1);  /* unknown here */
	/* a path is judged by the device it lies on: this folder's, as the kernel numbers it */
	struct stat sb;
	assert_int_equal(stat(sys, &sb), 0);
	assert_int_equal(mh_file_encrypted(sys), mh_file_block_encrypted(major(sb.st_dev), minor(sb.st_dev), "/sys"));
	assert_int_equal(mh_file_encrypted("/no/such/file"), -1);
	testutil_rmdir(sys);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_encrypted_devices),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
