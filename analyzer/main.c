/* main.c - parses the command line and maps the result to an exit status;
 * everything else lives in the library (run.h), which the tests link. */
#include "options.h"
#include "run.h"

int main(int argc, char **argv)
{
    rl_options options;
    int rc = rl_options_parse(&options, argc, argv);
    int status = rc < 0 ? 2 : rc > 0 ? 0 : rl_run(&options);
    rl_options_release(&options);
    return status;
}
