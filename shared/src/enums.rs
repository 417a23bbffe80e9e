//! Enums that are stored or on the wire, each declared once: `named_enum!` makes, from one list
//! of variants with their names (and, for protobuf enums, their numbers), the enum, its `ALL`
//! (complete by construction), `name`, `parse` and, where numbers are given, `number` and
//! `from_number`.
//!
//! A `macro_rules!`, not a derive crate: no proc-macro to build, and the generated code is the
//! same few `match`es one would write by hand.

/// Declares an enum of unit variants, each with its stored/wire name, and optionally its protobuf
/// number (then every variant has one):
///
/// ```
/// shared::named_enum! {
///     /// How a machine user's tokens are issued.
///     #[derive(Debug, Clone, Copy, PartialEq, Eq)]
///     pub enum TokenType: "token type" {
///         Bearer = 0 => "ACCESS_TOKEN_TYPE_BEARER",
///         Jwt = 1 => "ACCESS_TOKEN_TYPE_JWT",
///     }
/// }
/// assert_eq!(TokenType::ALL, [TokenType::Bearer, TokenType::Jwt]);
/// assert_eq!(TokenType::parse("ACCESS_TOKEN_TYPE_JWT").unwrap(), TokenType::Jwt);
/// assert_eq!(TokenType::from_number(1), Some(TokenType::Jwt));
/// assert_eq!(TokenType::Bearer.number(), 0);
/// ```
///
/// `parse` answers `UnknownName` for a name that is no variant's; `?` turns it into
/// `Error::internal` (a stored name we do not know is our fault, not the caller's), and callers
/// for whom an unknown name is normal (a request's role names) take `.ok()`, logging nothing.
#[macro_export]
macro_rules! named_enum {
    (
        $(#[$attr:meta])*
        $vis:vis enum $enum:ident : $label:literal {
            $( $(#[$variant_attr:meta])* $variant:ident = $number:literal => $name:literal ),+ $(,)?
        }
    ) => {
        $crate::named_enum! {
            $(#[$attr])*
            $vis enum $enum : $label { $( $(#[$variant_attr])* $variant => $name ),+ }
        }

        impl $enum {
            /// The protobuf enum number.
            pub const fn number(self) -> i32 {
                match self {
                    $( $enum::$variant => $number, )+
                }
            }

            /// The variant numbered `number`; `None` for a number no variant has.
            pub const fn from_number(number: i32) -> Option<$enum> {
                match number {
                    $( $number => Some($enum::$variant), )+
                    _ => None,
                }
            }
        }

        impl $crate::enums::ProtoEnum for $enum {
            const NUMBERED: &'static [(i32, &'static str)] = &[$( ($number, $name) ),+];

            fn from_number(number: i32) -> Option<$enum> {
                $enum::from_number(number)
            }
        }
    };
    (
        $(#[$attr:meta])*
        $vis:vis enum $enum:ident : $label:literal {
            $( $(#[$variant_attr:meta])* $variant:ident => $name:literal ),+ $(,)?
        }
    ) => {
        $(#[$attr])*
        $vis enum $enum {
            $( $(#[$variant_attr])* $variant, )+
        }

        impl $enum {
            /// Every variant, in the order declared.
            pub const ALL: [$enum; [$(stringify!($variant)),+].len()] = [$( $enum::$variant ),+];

            /// The name it is stored and sent as.
            pub const fn name(self) -> &'static str {
                match self {
                    $( $enum::$variant => $name, )+
                }
            }

            /// The variant named `name`.
            pub fn parse(name: &str) -> ::std::result::Result<$enum, $crate::enums::UnknownName> {
                match name {
                    $( $name => Ok($enum::$variant), )+
                    other => Err($crate::enums::UnknownName {
                        of: $label,
                        name: other.to_string(),
                    }),
                }
            }
        }
    };
}

use crate::error::Error;

/// A protobuf enum (`named_enum!` with numbers), as a request field of its type is read
/// (`api::body::EnumField`).
pub trait ProtoEnum: Copy + 'static {
    /// Each variant's number and name.
    const NUMBERED: &'static [(i32, &'static str)];

    fn from_number(number: i32) -> Option<Self>;

    /// The names at their numbers' positions (`""` where no variant has the number).
    fn names_by_number() -> Vec<&'static str> {
        let len = Self::NUMBERED
            .iter()
            .filter_map(|(number, _)| usize::try_from(*number).ok())
            .max()
            .map_or(0, |max| max + 1);
        let mut names = vec![""; len];
        for (number, name) in Self::NUMBERED {
            if let Some(slot) = usize::try_from(*number).ok().and_then(|i| names.get_mut(i)) {
                *slot = name;
            }
        }
        names
    }
}

/// A name that no variant of the enum `of` has. Not an error of the API: `?` makes it the
/// internal error (logged) that an unknown stored name is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownName {
    /// The enum's label, e.g. `user state`.
    pub of: &'static str,
    pub name: String,
}

impl From<UnknownName> for Error {
    fn from(unknown: UnknownName) -> Error {
        Error::internal(format!("unknown {} {:?}", unknown.of, unknown.name))
    }
}

#[cfg(test)]
mod tests {
    use super::UnknownName;

    crate::named_enum! {
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        enum Numbered: "numbered thing" {
            Zero = 0 => "ZERO",
            Two = 2 => "TWO",
            One = 1 => "ONE",
        }
    }

    crate::named_enum! {
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
        enum Named: "named thing" {
            First => "first",
            #[default]
            Second => "second",
        }
    }

    #[test]
    fn names_stand_at_their_numbers() {
        use super::ProtoEnum;
        assert_eq!(Numbered::names_by_number(), ["ZERO", "ONE", "TWO"]);
    }

    #[test]
    fn all_lists_every_variant_in_declared_order() {
        // The match fails to compile when a variant is added: then this test needs one more
        // entry, and `ALL` has it already.
        let position = |n: Numbered| match n {
            Numbered::Zero => 0,
            Numbered::Two => 1,
            Numbered::One => 2,
        };
        assert_eq!(Numbered::ALL.len(), 3);
        for (i, n) in Numbered::ALL.into_iter().enumerate() {
            assert_eq!(position(n), i);
        }
        assert_eq!(Named::ALL, [Named::First, Named::Second]);
        assert_eq!(Named::default(), Named::Second);
    }

    #[test]
    fn names_and_numbers_round_trip() {
        for n in Numbered::ALL {
            assert_eq!(Numbered::parse(n.name()).unwrap(), n);
            assert_eq!(Numbered::from_number(n.number()), Some(n));
        }
        assert_eq!(Numbered::Two.number(), 2);
        assert_eq!(Numbered::from_number(3), None);
        assert_eq!(Numbered::from_number(-1), None);
        assert_eq!(Named::parse(Named::Second.name()).unwrap(), Named::Second);
    }

    #[test]
    fn unknown_names_are_named_with_their_enum_and_become_internal_errors() {
        let unknown = Named::parse("third").unwrap_err();
        assert_eq!(
            unknown,
            UnknownName {
                of: "named thing",
                name: "third".into()
            }
        );
        assert_eq!(
            crate::Error::from(unknown).code,
            crate::error::Code::Internal
        );
    }
}
