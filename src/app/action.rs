//! Everything a key can do, by name. The help screen lists these names and texts, so an
//! action added here shows up in help without anyone remembering to document it.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Quit,
    Exit,
    Back,
    ToggleHelp,
    Up,
    Down,
    HalfPageDown,
    HalfPageUp,
    PageDown,
    PageUp,
    Top,
    Bottom,
    Open,
    ScrollUp,
    ScrollDown,
    ToggleOutline,
    NextHeading,
    PrevHeading,
    NextLink,
    PrevLink,
    Follow,
    HistoryBack,
    HistoryForward,
    Edit,
    Copy,
    NextPost,
    PrevPost,
    ToggleArchive,
    ToggleSort,
    ThemePicker,
    CollectionPicker,
    Confirm,
    Cancel,
}

impl Action {
    /// Every action, for looking one up by name (the config's `keys` section). A test
    /// checks that every action the default keymap binds is here.
    pub const ALL: &[Action] = &[
        Action::Quit,
        Action::Exit,
        Action::Back,
        Action::ToggleHelp,
        Action::Up,
        Action::Down,
        Action::HalfPageDown,
        Action::HalfPageUp,
        Action::PageDown,
        Action::PageUp,
        Action::Top,
        Action::Bottom,
        Action::Open,
        Action::ScrollUp,
        Action::ScrollDown,
        Action::ThemePicker,
        Action::CollectionPicker,
        Action::Confirm,
        Action::Cancel,
    ];

    /// The action with this [`Action::name`].
    pub fn from_name(name: &str) -> Option<Action> {
        Action::ALL.iter().copied().find(|a| a.name() == name)
    }

    /// Stable name, as used in help and in the config's `keys` section.
    pub fn name(self) -> &'static str {
        match self {
            Action::Quit => "quit",
            Action::Exit => "exit",
            Action::Back => "back",
            Action::ToggleHelp => "help",
            Action::Up => "up",
            Action::Down => "down",
            Action::HalfPageDown => "half-page-down",
            Action::HalfPageUp => "half-page-up",
            Action::PageDown => "page-down",
            Action::PageUp => "page-up",
            Action::Top => "top",
            Action::Bottom => "bottom",
            Action::Open => "open",
            Action::ScrollUp => "scroll-up",
            Action::ScrollDown => "scroll-down",
            Action::ToggleOutline => "outline",
            Action::NextHeading => "next-heading",
            Action::PrevHeading => "previous-heading",
            Action::NextLink => "next-link",
            Action::PrevLink => "previous-link",
            Action::Follow => "follow",
            Action::HistoryBack => "history-back",
            Action::HistoryForward => "history-forward",
            Action::Edit => "edit",
            Action::Copy => "copy",
            Action::NextPost => "next-post",
            Action::PrevPost => "previous-post",
            Action::ToggleArchive => "archive",
            Action::ToggleSort => "sort",
            Action::ThemePicker => "themes",
            Action::CollectionPicker => "collections",
            Action::Confirm => "confirm",
            Action::Cancel => "cancel",
        }
    }

    pub fn description(self) -> &'static str {
        match self {
            Action::Quit => "quit folio",
            Action::Exit => "quit folio from any screen",
            Action::Back => "back to the list",
            Action::ToggleHelp => "show or hide this help",
            Action::Up => "move up one line",
            Action::Down => "move down one line",
            Action::HalfPageDown => "down half a page",
            Action::HalfPageUp => "up half a page",
            Action::PageDown => "down a page",
            Action::PageUp => "up a page",
            Action::Top => "go to the top",
            Action::Bottom => "go to the bottom",
            Action::Open => "open the selected post",
            Action::ScrollUp => "scroll up (mouse wheel)",
            Action::ScrollDown => "scroll down (mouse wheel)",
            Action::ToggleOutline => "show or hide the outline of headings",
            Action::NextHeading => "go to the next heading",
            Action::PrevHeading => "go to the previous heading",
            Action::NextLink => "focus the next link on screen",
            Action::PrevLink => "focus the previous link on screen",
            Action::Follow => "follow the focused link / go to the outline's heading",
            Action::HistoryBack => "go back where you were, else to the list",
            Action::HistoryForward => "go forward again after going back",
            Action::Edit => "edit the post in $VISUAL or $EDITOR",
            Action::Copy => "copy the focused link or the code block on screen",
            Action::NextPost => "open the next post of the list",
            Action::PrevPost => "open the previous post of the list",
            Action::ToggleArchive => "group the list by year and month",
            Action::ToggleSort => "sort the list by date or by title",
            Action::ThemePicker => "choose a theme (previews as you move)",
            Action::CollectionPicker => "switch to another collection from the config",
            Action::Confirm => "use the highlighted choice",
            Action::Cancel => "close without changing anything",
        }
    }
}
