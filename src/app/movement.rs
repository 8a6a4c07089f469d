//! Moving a selection through rows: the one rule the post list, the tag browser and the
//! pickers share, so `j`, `Ctrl-d` or `G` move the same way wherever they are pressed.

use super::Action;

/// The row `action` moves the selection at `at` to, among `count` rows with `page`
/// rows on screen; `None` when the action is not a movement.
pub fn step(at: usize, count: usize, page: usize, action: Action) -> Option<usize> {
    let last = count.saturating_sub(1);
    let half = page.div_ceil(2);
    Some(match action {
        Action::Down | Action::ScrollDown => (at + 1).min(last),
        Action::Up | Action::ScrollUp => at.saturating_sub(1),
        Action::PageDown => (at + page).min(last),
        Action::PageUp => at.saturating_sub(page),
        Action::HalfPageDown => (at + half).min(last),
        Action::HalfPageUp => at.saturating_sub(half),
        Action::Top => 0,
        Action::Bottom => last,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moves_stay_inside_the_rows() {
        assert_eq!(step(0, 10, 4, Action::Up), Some(0));
        assert_eq!(step(9, 10, 4, Action::Down), Some(9));
        assert_eq!(step(1, 10, 4, Action::PageDown), Some(5));
        assert_eq!(step(1, 10, 4, Action::HalfPageDown), Some(3));
        assert_eq!(step(8, 10, 4, Action::PageDown), Some(9));
        assert_eq!(step(3, 10, 4, Action::Bottom), Some(9));
        assert_eq!(step(3, 0, 4, Action::Bottom), Some(0));
        assert_eq!(step(3, 10, 4, Action::Open), None);
    }
}
