"""verify: what `apply` wrote, proven on the real Orthanc started on 127.0.0.1 with temporary storage."""
