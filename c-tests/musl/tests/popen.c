/* popen in both directions, and pclose's status. */
#include "mtest.h"

int main(void)
{
    mtest_start();
    FILE *r = popen("echo one; echo two; exit 5", "r");
    CHECK(r != NULL, "popen r: %s", strerror(errno));
    char a[16] = "", b[16] = "";
    CHECK(fgets(a, sizeof a, r) && fgets(b, sizeof b, r), "short read");
    CHECK(strcmp(a, "one\n") == 0 && strcmp(b, "two\n") == 0, "read '%s' '%s'", a, b);
    int st = pclose(r);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 5, "pclose %#x", st);

    unlink("mtest_popen.out");
    FILE *w = popen("cat > mtest_popen.out", "w");
    CHECK(w != NULL, "popen w: %s", strerror(errno));
    fputs("written\n", w);
    CHECK(pclose(w) == 0, "pclose w");
    FILE *f = fopen("mtest_popen.out", "r");
    char c[16] = "";
    CHECK(f != NULL && fgets(c, sizeof c, f) != NULL, "no output");
    fclose(f);
    CHECK(strcmp(c, "written\n") == 0, "output '%s'", c);
    unlink("mtest_popen.out");
    return 0;
}
