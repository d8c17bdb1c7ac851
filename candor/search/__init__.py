"""Chinese product search (segmented, pinyin) behind one interface, and the search history."""
