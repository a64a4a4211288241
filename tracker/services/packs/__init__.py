"""Board packs: a portfolio pack and a programme's highlight report, as content, then as PDF or slides."""
