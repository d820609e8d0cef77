/* system(): the shell's exit status, its side effect, and system(NULL). */
#include "mtest.h"

int main(void)
{
    mtest_start();
    CHECK(system(NULL) != 0, "system(NULL) says no shell");
    int st = system("exit 7");
    CHECK(st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 7, "system status %#x", st);
    unlink("mtest_system.out");
    st = system("echo hello > mtest_system.out");
    CHECK(st == 0, "status %#x", st);
    char buf[32] = "";
    FILE *f = fopen("mtest_system.out", "r");
    CHECK(f != NULL && fgets(buf, sizeof buf, f) != NULL, "no output");
    fclose(f);
    CHECK(strcmp(buf, "hello\n") == 0, "output '%s'", buf);
    unlink("mtest_system.out");
    return 0;
}
