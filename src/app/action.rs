//! Everything a key can do, declared once. Each action has one line in the [`actions!`]
//! table: its variant, the name the config and help use, the help text, and its default
//! keys on each screen. The default keymap, the config's action names, the help screen
//! and every key hint are all read from this table, so none of them can drift from what
//! the keys really do (as helix declares its commands).

use super::keymap::Screen;

/// Default keys of an action on some screens, as the config writes keys (`ctrl-d`,
/// `G`, `pgdn`; parsed by [`super::keyspec::parse_key`]).
#[derive(Debug, Clone, Copy)]
pub struct DefaultKeys {
    pub screens: &'static [Screen],
    pub keys: &'static [&'static str],
}

/// One row of the action table.
#[derive(Debug, Clone, Copy)]
pub struct ActionSpec {
    pub action: Action,
    /// Stable name, as used in help and in the config's `keys` section.
    pub name: &'static str,
    /// What it does, for the help screen.
    pub doc: &'static str,
    pub keys: &'static [DefaultKeys],
}

macro_rules! actions {
    ($(
        $variant:ident $name:literal $doc:literal
        $([$($screen:ident)+ : $($key:literal)+])*
    ),* $(,)?) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Action {
            $($variant),*
        }

        /// Every action, in the order help lists them.
        pub const ACTIONS: &[ActionSpec] = &[
            $(ActionSpec {
                action: Action::$variant,
                name: $name,
                doc: $doc,
                keys: &[$(DefaultKeys {
                    screens: &[$(Screen::$screen),+],
                    keys: &[$($key),+],
                }),*],
            }),*
        ];
    };
}

actions! {
    // Everywhere.
    Exit "exit" "quit folio from any screen" [Global Help: "ctrl-c"],
    ToggleHelp "help" "show or hide this help" [Global Help: "?"],
    Messages "messages" "every message of this run, in full" [Global: "!" "W"],
    Problems "problems" "this post's problems (folio check); Enter goes to the line" [Reader: "!"],
    Suspend "suspend" "suspend folio to the shell (fg comes back)" [Global: "ctrl-z"],
    ThemePicker "themes" "choose a theme (previews as you move)" [Global: "T"],
    CollectionPicker "collections" "switch to another collection from the config" [Global: "C"],

    // Moving through a list or a page: the same keys on every screen that has one.
    Down "down" "move down one line"
        [List Reader Outline Picker Tags Help: "j" "down"] [Search TagFilter: "down" "ctrl-n"],
    Up "up" "move up one line"
        [List Reader Outline Picker Tags Help: "k" "up"] [Search TagFilter: "up" "ctrl-p"],
    PageDown "page-down" "down a page"
        [Reader Help: "space" "f"] [List Reader Outline Picker Tags Help Search TagFilter: "pgdn"],
    PageUp "page-up" "up a page"
        [Reader: "b"] [List Reader Outline Picker Tags Help Search TagFilter: "pgup"],
    HalfPageDown "half-page-down" "down half a page"
        [Reader: "d"] [List Reader Outline Picker Tags Help: "ctrl-d"],
    HalfPageUp "half-page-up" "up half a page"
        [Reader: "u"] [List Reader Outline Picker Tags Help: "ctrl-u"],
    Top "top" "go to the top" [List Reader Outline Picker Tags: "g" "home"],
    Bottom "bottom" "go to the bottom" [List Reader Outline Picker Tags: "G" "end"],
    ScrollDown "scroll-down" "scroll down three lines (also the mouse wheel)",
    ScrollUp "scroll-up" "scroll up three lines (also the mouse wheel)",

    // The post list.
    Open "open" "open the selected post" [List: "enter" "l" "right"],
    Filter "filter" "search posts by title, tags, path (Tab: full text)" [List: "/"],
    TagBrowser "tags" "browse tags" [List: "t"],
    CategoryBrowser "categories" "browse categories" [List: "c"],
    ToggleArchive "archive" "group the list by year and month" [List: "z"],
    ToggleSort "sort" "sort the list by date or by title" [List: "s"],
    ClearFilter "clear-filter" "clear the search, then the tag filter (never quits)" [List: "esc"],
    Rescan "rescan" "read the collection again from disk" [List: "r"],
    NextUnread "next-unread" "go to the next unread post" [List: "u"],
    ToggleRead "toggle-read" "mark the post read or unread" [List Reader: "m"],
    Bookmarks "bookmarks" "bookmarks, newest first (Enter opens at the spot)" [Global: "'"],
    Recent "recent" "the posts opened lately, most recent first" [Global: "H"],
    Quit "quit" "quit folio" [List: "q"],

    // The reader.
    Back "back" "back to the list" [Reader: "q" "h" "left"],
    Find "find" "find in this post" [Reader: "/"],
    NextHit "next-hit" "next search hit" [Reader: "n"],
    PrevHit "previous-hit" "previous search hit" [Reader: "N"],
    ClearFind "clear-find" "clear the search (back to the list if none)" [Reader: "esc"],
    HistoryBack "history-back" "go back where you were, else to the list" [Reader: "backspace"],
    HistoryForward "history-forward" "go forward again after going back" [Reader: "L"],
    ToggleOutline "outline" "show or hide the outline of headings" [Reader: "o"],
    NextHeading "next-heading" "go to the next heading" [Reader: "]"],
    PrevHeading "previous-heading" "go to the previous heading" [Reader: "["],
    NextLink "next-link" "focus the next link on screen" [Reader: "tab"],
    PrevLink "previous-link" "focus the previous link on screen" [Reader: "shift-tab"],
    Follow "follow" "follow the focused link" [Reader: "enter"],
    NextPost "next-post" "open the next post of the list" [Reader: "J"],
    PrevPost "previous-post" "open the previous post of the list" [Reader: "K"],
    Edit "edit" "edit the post in $VISUAL or $EDITOR" [Reader: "e"],
    Copy "copy" "copy the focused link or the code block on screen" [Reader: "y"],
    Bookmark "bookmark" "bookmark this place, with a note" [Reader: "M"],
    ToggleImages "images" "pictures or their placeholder lines, for this run" [Reader: "i"],

    // The outline pane, when it has the keys (other reader keys still work).
    GoToHeading "go-to-heading" "go to the selected heading" [Outline: "enter" "l" "right"],
    LeaveOutline "leave-outline" "keys back to the text; the pane stays" [Outline: "tab" "h" "left"],
    CloseOutline "close-outline" "close the outline pane" [Outline: "esc" "q" "o"],

    // Pickers (themes, collections).
    Confirm "confirm" "use the highlighted choice" [Picker: "enter" "l"],
    Cancel "cancel" "close without changing anything" [Picker: "esc" "q" "h"],
    DeleteBookmark "delete-bookmark" "delete the bookmark (u undoes)" [Picker: "x"],
    UndoDelete "undo-delete" "bring back the bookmark deleted last" [Picker: "u"],

    // The tag and category browser.
    ToggleSelect "select" "select or unselect" [Tags: "space"] [TagFilter: "tab"],
    ApplySelection "apply" "show the posts with the selection" [Tags TagFilter: "enter"],
    ToggleAnyAll "any-all" "posts with all or any of the selection" [Tags: "a"],
    TagSort "tag-sort" "sort by post count or by name" [Tags: "s"],
    FocusFilter "filter-line" "type to filter the names" [Tags: "/"],
    LeaveFilter "leave-filter" "keys act again (Space, a, s...), the filter kept" [TagFilter: "esc"],
    CloseBrowser "close" "close (Esc clears the filter first)" [Tags: "esc" "q"],

    // Search and filter lines: a key not bound here is typed.
    InputCancel "input-cancel" "clear the line and close it" [Search: "esc"],
    InputAccept "input-accept" "keep the search (full text: open the post)" [Search: "enter"],
    InputComplete "input-complete" "complete #tag / @category, else full text on/off" [Search: "tab"],
    InputLeft "input-left" "cursor left" [Search TagFilter: "left"],
    InputRight "input-right" "cursor right" [Search TagFilter: "right"],
    InputHome "input-home" "cursor to the start" [Search TagFilter: "home" "ctrl-a"],
    InputEnd "input-end" "cursor to the end" [Search TagFilter: "end" "ctrl-e"],
    InputBackspace "input-backspace" "delete before the cursor" [Search TagFilter: "backspace" "ctrl-h"],
    InputDelete "input-delete" "delete under the cursor" [Search TagFilter: "delete" "ctrl-d"],
    InputKillLine "input-kill-line" "delete to the start of the line" [Search TagFilter: "ctrl-u"],
    InputKillWord "input-kill-word" "delete the word before the cursor" [Search TagFilter: "ctrl-w"],
}

impl Action {
    /// Every action's row of the table.
    pub fn spec(self) -> &'static ActionSpec {
        // The table is generated in declaration order, so the discriminant is the row;
        // the search is a fallback that the table's own test shows is never taken.
        match ACTIONS.get(self as usize) {
            Some(spec) if spec.action == self => spec,
            _ => ACTIONS
                .iter()
                .find(|s| s.action == self)
                .unwrap_or(&ACTIONS[0]),
        }
    }

    /// Every action, in table order.
    pub fn all() -> impl Iterator<Item = Action> {
        ACTIONS.iter().map(|s| s.action)
    }

    /// The action with this [`Action::name`].
    pub fn from_name(name: &str) -> Option<Action> {
        ACTIONS.iter().find(|s| s.name == name).map(|s| s.action)
    }

    /// Stable name, as used in help and in the config's `keys` section.
    pub fn name(self) -> &'static str {
        self.spec().name
    }

    pub fn description(self) -> &'static str {
        self.spec().doc
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_row_is_found_by_its_action_and_names_are_unique() {
        for (row, spec) in ACTIONS.iter().enumerate() {
            assert_eq!(spec.action as usize, row);
            assert_eq!(spec.action.spec().name, spec.name);
            assert_eq!(Action::from_name(spec.name), Some(spec.action));
            assert!(!spec.doc.is_empty(), "{} has no help text", spec.name);
        }
    }
}
