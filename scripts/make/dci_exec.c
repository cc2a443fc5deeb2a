/* GNU make plugin: $(dci-exec COMMAND) replaces the make process with `/bin/sh -c COMMAND`.
 *
 * GNU make turns every failing recipe into its own exit status 2, so a scheduler calling
 * `make refresh` could not tell rejected input (10) from a held lock (12). A recipe that expands
 * $(dci-exec …) hands make's own process to the command (after the target's prerequisites are
 * built), so `make refresh; echo $?` prints the refresh's exit code and a kill of the process
 * group reaches the refresh directly. Loaded by the Makefile with `-load`; if it cannot be built
 * (no C compiler) the function is undefined, expands to nothing, and the recipe runs normally.
 */
#include <gnumake.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int plugin_is_GPL_compatible;

static char *dci_exec(const char *name, unsigned int argc, char **argv) {
    (void)name;
    (void)argc;
    fflush(stdout);
    fflush(stderr);
    execl("/bin/sh", "sh", "-c", argv[0], (char *)NULL);
    perror("dci-exec: /bin/sh");
    exit(127);
}

int dci_exec_gmk_setup(const gmk_floc *floc) {
    (void)floc;
    gmk_add_function("dci-exec", dci_exec, 1, 1, GMK_FUNC_DEFAULT);
    return 1;
}
