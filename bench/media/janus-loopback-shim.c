/* janus-loopback-shim.c — LD_PRELOADed into Janus by bench/media/janus-lib.sh
 * (the side-by-side benchmark and its test), never into our own programs.
 *
 * Janus 1.1.2 gathers ICE candidates only on the interfaces getifaddrs()
 * reports without IFF_LOOPBACK, whatever its ice_enforce_list says: with
 * ice_enforce_list = "lo" it would still offer the machine's other
 * addresses (libnice's fallback), and the benchmark must stay on
 * 127.0.0.1. This getifaddrs() clears that flag, so that "lo" is an
 * interface like the others and the enforce list keeps Janus on it alone. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <stddef.h>

int
getifaddrs (struct ifaddrs **list)
{
  int (*next) (struct ifaddrs **) = (int (*) (struct ifaddrs **))dlsym (RTLD_NEXT, "getifaddrs");
  int result;

  if (next == NULL)
    return -1;
  result = next (list);
  if (result == 0)
    for (struct ifaddrs *i = *list; i != NULL; i = i->ifa_next)
      i->ifa_flags &= ~(unsigned int)IFF_LOOPBACK;
  return result;
}
