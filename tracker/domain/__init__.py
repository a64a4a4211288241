"""Pure domain rules and calculations: standard library only, and `today` is always passed in."""
