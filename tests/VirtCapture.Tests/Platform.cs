// Like the firmware, its tests run on Linux only: AF_PACKET, sysfs, O_DIRECT and Unix file modes are all Linux facts.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
