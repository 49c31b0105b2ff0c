/* hello: the smallest useful app: one printf line, exit status 0. */
#include <stdio.h>

int main(void)
{
    printf("Hello from %s\n", APP_NAME);
    return 0;
}
