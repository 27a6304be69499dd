/* Attack: call into the host. A function declared as a WebAssembly import becomes an import of
   the module; the sandbox provides WASI alone, so the program is refused before it runs. */
__attribute__((import_module("env"), import_name("system"))) int host_system(const char *command);
int main(void) { return host_system("cat /etc/passwd"); }
