//! Three-way merge of a free-text field: the device sends the value it saw (`base`) and the
//! value it wants (`mine`); the server compares with what it holds now (`current`).

/// What to do with the device's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextMerge {
    /// Write the device's value.
    Take,
    /// The server's value already is right (nobody else changed it, or both made the same
    /// change, or the device changed nothing).
    Keep,
    /// Both changed it differently: a person decides (the review list).
    Conflict,
}

pub fn merge_text(base: &str, current: &str, mine: &str) -> TextMerge {
    if mine == current || mine == base {
        TextMerge::Keep
    } else if current == base {
        TextMerge::Take
    } else {
        TextMerge::Conflict
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_way_cases() {
        assert_eq!(
            merge_text("a", "a", "b"),
            TextMerge::Take,
            "only I changed it"
        );
        assert_eq!(
            merge_text("a", "c", "a"),
            TextMerge::Keep,
            "only they changed it"
        );
        assert_eq!(merge_text("a", "b", "b"), TextMerge::Keep, "same change");
        assert_eq!(merge_text("a", "a", "a"), TextMerge::Keep, "no change");
        assert_eq!(
            merge_text("a", "b", "c"),
            TextMerge::Conflict,
            "both changed it"
        );
    }
}
