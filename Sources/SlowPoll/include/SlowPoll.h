// libBanshiSlowPoll.so exports only poll(2), to be preloaded; nothing is declared for a caller.
