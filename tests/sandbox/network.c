/* Attack: reach the network. wasip1 has no socket creation and the sandbox disables networking,
   so there is no socket() to call: the attempt must fail to compile. */
#include <sys/socket.h>
int main(void) { return socket(AF_INET, SOCK_STREAM, 0) >= 0; }
